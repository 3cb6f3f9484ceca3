-- The append rule in one place. append_message places one message — after the session's newest,
-- after a given message of the session, or as a root — with its running token total, and keeps a
-- temporary session alive; it leaves the transaction to its caller, so a batch appends message by
-- message inside its own transaction. append_message_alone is the common case (one message after
-- the newest) in one round trip: the same rule in a transaction of its own.
DROP PROCEDURE IF EXISTS append_message;

DELIMITER //
CREATE PROCEDURE append_message(
    IN p_message_id  VARCHAR(64),
    IN p_session_id  CHAR(36),
    IN p_owner_id    VARCHAR(128),
    IN p_placement   VARCHAR(8),
    IN p_parent_id   VARCHAR(64),
    IN p_role        VARCHAR(16),
    IN p_content     MEDIUMTEXT,
    IN p_thinking    MEDIUMTEXT,
    IN p_tool_calls  MEDIUMTEXT,
    IN p_token_count INT,
    IN p_ext         MEDIUMTEXT,
    IN p_mcpdetail   MEDIUMTEXT,
    IN p_now         DATETIME(6),
    IN p_expires_at  DATETIME(6))
-- p_placement: 'newest' (after the session's newest message), 'parent' (after p_parent_id) or
-- 'root'. Answers one row: outcome ('placed', 'no_session' when the session is not the owner's,
-- 'no_parent' when p_parent_id is not a message of the session; nothing is written then), the
-- parent, the running total and the session's type.
BEGIN
    DECLARE v_type VARCHAR(16) DEFAULT NULL;
    DECLARE v_parent VARCHAR(64) DEFAULT NULL;
    DECLARE v_acc BIGINT DEFAULT NULL;

    -- The session row lock queues concurrent appends to one session, so each reads the newest
    -- message committed before it and the branch never forks.
    SELECT session_type INTO v_type FROM chat_session
     WHERE session_id = p_session_id AND owner_id = p_owner_id FOR UPDATE;
    IF v_type IS NULL THEN
        SELECT 'no_session' AS outcome, NULL AS parent_id, NULL AS acc_token, NULL AS session_type;
    ELSE
        IF p_placement = 'newest' THEN
            SELECT message_id, acc_token INTO v_parent, v_acc FROM chat_message
             WHERE session_id = p_session_id ORDER BY seq DESC LIMIT 1;
        ELSEIF p_placement = 'parent' THEN
            SELECT message_id, acc_token INTO v_parent, v_acc FROM chat_message
             WHERE message_id = p_parent_id AND session_id = p_session_id;
        END IF;
        IF p_placement = 'parent' AND v_parent IS NULL THEN
            SELECT 'no_parent' AS outcome, NULL AS parent_id, NULL AS acc_token, v_type AS session_type;
        ELSE
            SET v_acc = COALESCE(v_acc, 0) + COALESCE(p_token_count, 0);
            INSERT INTO chat_message (message_id, session_id, parent_id, role, content, thinking, tool_calls,
                                      token_count, acc_token, ext, mcpdetail, created_at, updated_at, owner_id)
            VALUES (p_message_id, p_session_id, v_parent, p_role, p_content, p_thinking, p_tool_calls,
                    p_token_count, v_acc, p_ext, p_mcpdetail, p_now, p_now, p_owner_id);
            UPDATE chat_session
               SET updated_at = p_now,
                   expires_at = CASE WHEN session_type = 'temporary' THEN p_expires_at ELSE NULL END
             WHERE session_id = p_session_id;
            SELECT 'placed' AS outcome, v_parent AS parent_id, v_acc AS acc_token, v_type AS session_type;
        END IF;
    END IF;
END //

CREATE PROCEDURE append_message_alone(
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
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        ROLLBACK;
        RESIGNAL;
    END;
    START TRANSACTION;
    CALL append_message(p_message_id, p_session_id, p_owner_id, 'newest', NULL, p_role, p_content, p_thinking,
                        p_tool_calls, p_token_count, p_ext, p_mcpdetail, p_now, p_expires_at);
    COMMIT;
END //
DELIMITER ;
