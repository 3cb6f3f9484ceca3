#!/usr/bin/env bash
# Make sure the local backing services of the suite are up and provisioned:
#   - MariaDB (or MySQL) answering on $SUITE_DB_HOST:$SUITE_DB_PORT
#   - Redis answering on $SUITE_REDIS_HOST:$SUITE_REDIS_PORT
#   - one database per service plus its *_test twin, and the `suite` user
#
# Installs missing servers with apt when run as root; without root but with a Docker daemon, runs
# them with Docker Compose (datastores.compose.yaml) instead. Starts installed but stopped local
# servers, and is idempotent (fast no-op when all is ready).
#
# Env: SUITE_DB_HOST (127.0.0.1), SUITE_DB_PORT (3306),
#      SUITE_REDIS_HOST (127.0.0.1), SUITE_REDIS_PORT (6379),
#      SUITE_SERVICES_TIMEOUT (30, seconds to wait for a started server)
set -euo pipefail

DB_HOST=${SUITE_DB_HOST:-127.0.0.1}
DB_PORT=${SUITE_DB_PORT:-3306}
REDIS_HOST=${SUITE_REDIS_HOST:-127.0.0.1}
REDIS_PORT=${SUITE_REDIS_PORT:-6379}
TIMEOUT=${SUITE_SERVICES_TIMEOUT:-30}

DB_USER=suite
DB_PASSWORD=suite
# One database per service; each also gets a <name>_test twin.
DATABASES=(suite_llm suite_mcp suite_session suite_workflow suite_task)

MARIADBD=/usr/sbin/mariadbd
COMPOSE_FILE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/datastores.compose.yaml

die() { echo "services: error: $*" >&2; exit 1; }

is_root() { [[ $(id -u) -eq 0 ]]; }

is_local() { [[ $1 == 127.0.0.1 || $1 == localhost || $1 == ::1 ]]; }

# First command of the arguments that exists (prints its name).
first_cmd() {
  local c
  for c in "$@"; do
    if command -v "$c" >/dev/null 2>&1; then echo "$c"; return 0; fi
  done
  return 1
}

# Poll "$@" until it succeeds or $TIMEOUT seconds pass.
wait_until() {
  local deadline=$((SECONDS + TIMEOUT))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# --- MariaDB ----------------------------------------------------------------

db_client() { first_cmd mariadb mysql; }
db_admin() { first_cmd mariadb-admin mysqladmin; }
db_server_installed() { [[ -x $MARIADBD ]]; }

db_alive() {
  local admin
  admin=$(db_admin) || return 1
  # ping exits 0 whenever the server answers, even with "access denied".
  "$admin" --protocol=tcp -h"$DB_HOST" -P"$DB_PORT" -uroot \
    --connect-timeout=2 ping >/dev/null 2>&1
}

db_error_log() {
  local log
  log=$(my_print_defaults --mysqld 2>/dev/null | sed -n 's/^--log[-_]error=//p' | tail -n1) || true
  echo "${log:-/var/log/mysql/error.log}"
}

start_mariadb() {
  is_local "$DB_HOST" || die "mariadb: not answering on $DB_HOST:$DB_PORT (remote host, not starting it)"
  is_root || die "mariadb: installed but not running; start it as root:
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  start-stop-daemon --start --oknodo --background --exec $MARIADBD -- --user=mysql --port=$DB_PORT"
  if start-stop-daemon --status --exec "$MARIADBD"; then
    # Running already (still starting up, or bound elsewhere): just wait.
    wait_until db_alive ||
      die "mariadb: mariadbd is running but not answering on $DB_HOST:$DB_PORT after ${TIMEOUT}s (other port or bind-address? see $(db_error_log))"
    return
  fi
  install -d -o mysql -g mysql /run/mysqld
  start-stop-daemon --start --oknodo --background --exec "$MARIADBD" \
    -- --user=mysql --port="$DB_PORT"
  wait_until db_alive ||
    die "mariadb: started but not answering on $DB_HOST:$DB_PORT after ${TIMEOUT}s (see $(db_error_log))"
}

ensure_mariadb() {
  if db_alive; then
    echo "mariadb: up on $DB_HOST:$DB_PORT"
    return
  fi
  start_mariadb
  echo "mariadb: up on $DB_HOST:$DB_PORT (started)"
}

# --- Redis ------------------------------------------------------------------

redis_alive() {
  [[ $(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

start_redis() {
  is_local "$REDIS_HOST" || die "redis: not answering on $REDIS_HOST:$REDIS_PORT (remote host, not starting it)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" \
    --save "" --appendonly no >/dev/null ||
    die "redis: redis-server failed to start on port $REDIS_PORT"
  wait_until redis_alive ||
    die "redis: started but not answering on $REDIS_HOST:$REDIS_PORT after ${TIMEOUT}s"
}

ensure_redis() {
  if redis_alive; then
    echo "redis: up on $REDIS_HOST:$REDIS_PORT"
    return
  fi
  start_redis
  echo "redis: up on $REDIS_HOST:$REDIS_PORT (started)"
}

# --- Installation -----------------------------------------------------------

# Debian packages needed for what is absent (servers only when not answering).
missing_packages() {
  if ! db_client >/dev/null || ! db_admin >/dev/null; then
    if is_local "$DB_HOST"; then echo mariadb-server; else echo mariadb-client; fi
  elif ! db_server_installed && ! db_alive; then
    echo mariadb-server
  fi
  if ! command -v redis-cli >/dev/null 2>&1; then
    if is_local "$REDIS_HOST"; then echo redis-server; else echo redis-tools; fi
  elif ! command -v redis-server >/dev/null 2>&1 && ! redis_alive; then
    echo redis-server
  fi
}

install_missing() {
  local pkgs log
  mapfile -t pkgs < <(missing_packages)
  ((${#pkgs[@]} > 0)) || return 0
  if ! is_root; then
    if is_local "$DB_HOST" && is_local "$REDIS_HOST" && docker_daemon; then
      start_with_compose
      return
    fi
    die "missing packages; install them first:
  sudo apt-get update && sudo apt-get install -y ${pkgs[*]}
(or run a Docker daemon: MariaDB and Redis then run from $COMPOSE_FILE)"
  fi
  echo "services: installing ${pkgs[*]} (apt)"
  log=$(mktemp)
  if ! {
    apt-get update &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}"
  } </dev/null >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "apt-get install ${pkgs[*]} failed (full log: $log)"
  fi
  rm -f "$log"
}

# mcp-gateway runs stdio MCP servers inside bubblewrap where the kernel allows it; without it
# they run unconfined (with a clean environment), so its absence is a warning, not an error.
install_bubblewrap() {
  [[ $(uname -s) == Linux ]] || return 0
  command -v bwrap >/dev/null 2>&1 && return 0
  if ! is_root; then
    echo "services: bubblewrap is not installed; stdio MCP servers will run unconfined" \
      "(sudo apt-get install -y bubblewrap)" >&2
    return 0
  fi
  echo "services: installing bubblewrap (apt)"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends bubblewrap; } \
    </dev/null >/dev/null 2>&1 || echo "services: apt-get install bubblewrap failed; stdio MCP servers will run unconfined" >&2
}

# --- Docker Compose, when the servers are missing and cannot be installed ----

DOCKER=0

docker_daemon() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

compose() {
  SUITE_DB_PORT=$DB_PORT SUITE_REDIS_PORT=$REDIS_PORT docker compose -p suite-local -f "$COMPOSE_FILE" "$@"
}

# Both containers up and healthy; the host needs no client: SQL runs inside the container.
start_with_compose() {
  echo "services: MariaDB/Redis not installed; running them with Docker Compose ($COMPOSE_FILE)"
  compose up -d --wait --wait-timeout "$((TIMEOUT * 4))" </dev/null ||
    die "docker compose could not start MariaDB and Redis (see: docker compose -f $COMPOSE_FILE logs)"
  DOCKER=1
}

# --- Databases and user -----------------------------------------------------

provision_sql() {
  local db name host
  for db in "${DATABASES[@]}"; do
    for name in "$db" "${db}_test"; do
      echo "CREATE DATABASE IF NOT EXISTS \`$name\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
    done
  done
  # In a container the host's connections arrive from the Docker network, not from 127.0.0.1.
  local hosts=(localhost 127.0.0.1)
  if ((DOCKER)); then hosts=('%'); fi
  for host in "${hosts[@]}"; do
    echo "CREATE USER IF NOT EXISTS '$DB_USER'@'$host' IDENTIFIED BY '$DB_PASSWORD';"
    echo "ALTER USER '$DB_USER'@'$host' IDENTIFIED BY '$DB_PASSWORD';"
    echo "GRANT ALL PRIVILEGES ON \`suite\\_%\`.* TO '$DB_USER'@'$host';"
  done
}

# Run SQL from stdin as root: TCP with empty password, then the unix socket.
db_root() {
  local client sql err
  sql=$(cat)
  if ((DOCKER)); then
    compose exec -T mariadb mariadb -uroot <<<"$sql"
    return
  fi
  client=$(db_client)
  if err=$("$client" --protocol=tcp -h"$DB_HOST" -P"$DB_PORT" -uroot \
    --connect-timeout=5 <<<"$sql" 2>&1); then
    return 0
  fi
  if is_local "$DB_HOST" &&
    err+=$'\n'$("$client" --protocol=socket -uroot <<<"$sql" 2>&1); then
    return 0
  fi
  echo "$err" >&2
  return 1
}

ensure_databases() {
  provision_sql | db_root ||
    die "databases: could not provision as root (tried TCP $DB_HOST:$DB_PORT and the unix socket)"
  if ((DOCKER)); then
    compose exec -T -e MYSQL_PWD="$DB_PASSWORD" mariadb mariadb --protocol=tcp -h127.0.0.1 -u"$DB_USER" \
      -e 'SELECT 1' "${DATABASES[0]}" >/dev/null 2>&1 ||
      die "databases: user '$DB_USER' cannot log in to ${DATABASES[0]} in the MariaDB container"
  else
    MYSQL_PWD=$DB_PASSWORD "$(db_client)" --protocol=tcp -h"$DB_HOST" -P"$DB_PORT" \
      -u"$DB_USER" --connect-timeout=5 -e 'SELECT 1' "${DATABASES[0]}" >/dev/null 2>&1 ||
      die "databases: user '$DB_USER' cannot log in to ${DATABASES[0]} on $DB_HOST:$DB_PORT"
  fi
  echo "databases: ready"
}

main() {
  install_missing
  install_bubblewrap
  if ((DOCKER)); then
    echo "mariadb: up on $DB_HOST:$DB_PORT (Docker)"
    echo "redis: up on $REDIS_HOST:$REDIS_PORT (Docker)"
  else
    ensure_mariadb
    ensure_redis
  fi
  ensure_databases
}

main "$@"
