# Run once by the mysql image's entrypoint, on an empty data directory, after it has created
# MYSQL_USER (the suite-secrets QUARKUS_DATASOURCE_USERNAME) with its password: one database per
# service, each owned by that user, with the character set of the local set-up (deploy/local).
for db in suite_llm suite_mcp suite_session suite_workflow suite_task; do
  docker_process_sql --database=mysql <<EOSQL
CREATE DATABASE IF NOT EXISTS \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
GRANT ALL PRIVILEGES ON \`${db}\`.* TO '${MYSQL_USER}'@'%';
EOSQL
done
