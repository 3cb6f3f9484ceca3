-- Feedback an agent asked a person for through the built-in collect_feedback tool, and the
-- answer; kept for suite.mcp.feedback.retention, then purged.
CREATE TABLE mcp_feedback (
    feedback_id  CHAR(36)     NOT NULL,
    owner_id     VARCHAR(128) NOT NULL,
    summary      MEDIUMTEXT   NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    answer_text  MEDIUMTEXT   NULL,
    created_at   DATETIME(6)  NOT NULL,
    expires_at   DATETIME(6)  NOT NULL,
    answered_at  DATETIME(6)  NULL,
    PRIMARY KEY (feedback_id),
    KEY ix_mcp_feedback_owner (owner_id, feedback_id),
    KEY ix_mcp_feedback_created (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE mcp_feedback_image (
    image_id     CHAR(36)     NOT NULL,
    feedback_id  CHAR(36)     NOT NULL,
    mime_type    VARCHAR(32)  NOT NULL,
    size_bytes   INT          NOT NULL,
    data         MEDIUMBLOB   NOT NULL,
    PRIMARY KEY (image_id),
    KEY ix_mcp_feedback_image_feedback (feedback_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
