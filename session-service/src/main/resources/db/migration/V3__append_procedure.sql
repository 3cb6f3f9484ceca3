-- One message appended after the session's newest, in one round trip. On a small machine a
-- database round trip costs more than the statement it carries, and an append needs five
-- (begin, lock the session, read its newest message, insert, commit): the procedure runs them
-- inside the server. It answers one row — the parent, the running total and the session type —
-- or a row of NULLs when the session is not the owner's (nothing written then).
DELIMITER //
CREATE PROCEDURE append_message(
    IN p_message_id  VARCHAR(64),
    IN p_session_id  CHAR(36),
    IN p_owner_id    VARCHAR(128),
    IN p_role        VARCHAR(16),
    IN p_content     MEDIUMTEXT,
    IN p_thinking    MEDIUMTEXT,
    IN p_tool_calls  MEDIUMTEXT,
    IN p_token_count INT,
    IN p_ext         MEDIUMTEXT,
    IN p_mcpdetail   MEDIUMTEXT,
    IN p_now         DATETIME(6),
    IN p_expires_at  DATETIME(6))
BEGIN
    DECLARE v_type VARCHAR(16) DEFAULT NULL;
    DECLARE v_parent VARCHAR(64) DEFAULT NULL;
    DECLARE v_acc BIGINT DEFAULT 0;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        ROLLBACK;
        RESIGNAL;
    END;

    START TRANSACTION;
    -- The session row lock queues concurrent appends to one session, so each reads the newest
    -- message committed before it and the branch never forks.
    SELECT session_type INTO v_type FROM chat_session
     WHERE session_id = p_session_id AND owner_id = p_owner_id FOR UPDATE;
    IF v_type IS NULL THEN
        ROLLBACK;
        SELECT NULL AS parent_id, NULL AS acc_token, NULL AS session_type;
    ELSE
        SELECT message_id, acc_token INTO v_parent, v_acc FROM chat_message
         WHERE session_id = p_session_id ORDER BY seq DESC LIMIT 1;
        SET v_acc = COALESCE(v_acc, 0) + COALESCE(p_token_count, 0);
        INSERT INTO chat_message (message_id, session_id, parent_id, role, content, thinking, tool_calls,
                                  token_count, acc_token, ext, mcpdetail, created_at, updated_at, owner_id)
        VALUES (p_message_id, p_session_id, v_parent, p_role, p_content, p_thinking, p_tool_calls,
                p_token_count, v_acc, p_ext, p_mcpdetail, p_now, p_now, p_owner_id);
        UPDATE chat_session
           SET updated_at = p_now,
               expires_at = CASE WHEN session_type = 'temporary' THEN p_expires_at ELSE NULL END
         WHERE session_id = p_session_id;
        COMMIT;
        SELECT v_parent AS parent_id, v_acc AS acc_token, v_type AS session_type;
    END IF;
END //
DELIMITER ;
