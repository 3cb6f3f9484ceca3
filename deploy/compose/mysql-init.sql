-- The suite's databases in the compose MySQL, run once when its data volume is empty.
--
-- The `suite` user itself is created by the MySQL image's entrypoint from MYSQL_USER and
-- MYSQL_PASSWORD (compose.yaml passes SUITE_DB_PASSWORD), before this script runs: a plain SQL
-- script cannot read the environment, and the password must not be committed here.

CREATE DATABASE IF NOT EXISTS suite_llm CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS suite_mcp CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS suite_session CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS suite_workflow CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS suite_task CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Each service migrates its own schema with Flyway at start-up (session-service also creates a
-- stored procedure), so the user owns the five databases and nothing else.
GRANT ALL PRIVILEGES ON suite_llm.* TO 'suite'@'%';
GRANT ALL PRIVILEGES ON suite_mcp.* TO 'suite'@'%';
GRANT ALL PRIVILEGES ON suite_session.* TO 'suite'@'%';
GRANT ALL PRIVILEGES ON suite_workflow.* TO 'suite'@'%';
GRANT ALL PRIVILEGES ON suite_task.* TO 'suite'@'%';
FLUSH PRIVILEGES;
