-- Model groups: a name a client puts in `model` that spreads calls over several of its owner's
-- configs (by weight, or in priority order), cooling down a member that fails.
CREATE TABLE llm_model_group (
    group_id         CHAR(36)     NOT NULL,
    owner_id         VARCHAR(128) NOT NULL,
    name             VARCHAR(100) NOT NULL,
    -- weighted: spread by weight; priority: the first healthy member by priority.
    strategy         VARCHAR(16)  NOT NULL,
    -- [{"config_id", "weight", "priority"}], in the order given.
    members          TEXT         NOT NULL,
    cooldown_seconds INT          NOT NULL,
    created_at       DATETIME(6)  NOT NULL,
    updated_at       DATETIME(6)  NOT NULL,
    PRIMARY KEY (group_id),
    UNIQUE KEY uq_llm_model_group_name (owner_id, name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
