# shellcheck shell=bash
# Local PostgreSQL for the demo and the tests, used only when DATABASE_URL is not set.
#
# The server runs as a non-root user (PostgreSQL refuses root), listens on loopback only, and keeps
# its data under .data/postgres (git-ignored). Starting it twice is harmless: a running server is
# reused, an existing cluster is never re-initialised, existing databases are never dropped.

ROLLBOOK_PG_DEFAULT_PORT="${ROLLBOOK_PG_PORT:-54329}"
ROLLBOOK_PG_USER="rollbook"
ROLLBOOK_PG_PASSWORD="rollbook"

pg_bin_dir() {
  local dir
  for dir in $(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V -r); do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  return 1
}

install_postgres_if_missing() {
  pg_bin_dir >/dev/null && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL server binaries not found and not root: install postgresql (Debian) or set DATABASE_URL." >&2
    return 1
  fi
  echo "==> Installing PostgreSQL (Debian package postgresql)"
  apt_install postgresql
}

# Runs a command as the server's owner: ourselves, or the `postgres` user when we are root.
as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_data_dir() {
  local dir="$ROLLBOOK_ROOT/.data/postgres"
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir" 2>/dev/null || true
    chmod 700 "$dir"
    # The server user must be able to reach the folder; a checkout under a private home cannot.
    if ! runuser -u postgres -- test -w "$dir"; then
      dir="/var/tmp/rollbook-postgres-$(printf '%s' "$ROLLBOOK_ROOT" | sha256sum | cut -c1-12)"
      mkdir -p "$dir" && chown postgres: "$dir" && chmod 700 "$dir"
    fi
  fi
  echo "$dir"
}

# The cluster's port, remembered in its data folder: a second checkout on the same machine gets
# the next free port instead of colliding with the first one's server.
pg_port() {
  local file
  file="$(pg_data_dir)/rollbook-port"
  if [ -s "$file" ]; then cat "$file"; else echo "$ROLLBOOK_PG_DEFAULT_PORT"; fi
}

start_local_postgres() {
  install_postgres_if_missing || return 1
  local bin data
  bin="$(pg_bin_dir)"
  data="$(pg_data_dir)"
  if [ ! -f "$data/PG_VERSION" ]; then
    echo "==> Initialising a local PostgreSQL cluster in $data"
    local pwfile
    pwfile="$(mktemp)"
    printf '%s\n' "$ROLLBOOK_PG_PASSWORD" >"$pwfile"
    chmod 644 "$pwfile"
    as_pg_owner "$bin/initdb" -D "$data" -U "$ROLLBOOK_PG_USER" --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
  fi
  if ! as_pg_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    local port attempt
    port="$(pg_port)"
    # The reservation keeps another checkout starting its server at the same moment off this port;
    # a program outside Rollbook can still take it first, so a lost bind moves on to the next one.
    for attempt in 1 2 3 4 5; do
      reserve_free_port "$port" || return 1
      port="$RESERVED_PORT"
      echo "$port" >"$data/rollbook-port"
      echo "==> Starting PostgreSQL on 127.0.0.1:$port"
      if without_port_reservations as_pg_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$data' -c max_connections=200 -c fsync=off" \
        start >/dev/null; then
        return 0
      fi
      if [ "$attempt" -lt 5 ] && tail -5 "$data/server.log" | grep -q "Address already in use"; then
        port=$((port + 1))
        continue
      fi
      tail -20 "$data/server.log" >&2
      return 1
    done
  fi
}

stop_local_postgres() {
  local bin data
  bin="$(pg_bin_dir)" || return 0
  data="$(pg_data_dir)"
  [ -f "$data/PG_VERSION" ] || return 0
  as_pg_owner "$bin/pg_ctl" -D "$data" -m fast stop 2>/dev/null || true
}

local_database_url() {
  echo "postgresql://$ROLLBOOK_PG_USER:$ROLLBOOK_PG_PASSWORD@127.0.0.1:$(pg_port)/$1"
}

# Prints DATABASE_URL with its database name replaced.
with_database_name() {
  node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString())' "$1" "$2"
}

# Creates the database named in a URL on that URL's server when it does not exist yet.
create_database_if_missing() {
  local url="$1"
  node - "$url" <<'JS'
const { Client } = require("pg");
const target = new URL(process.argv[2]);
const name = decodeURIComponent(target.pathname.slice(1));
const admin = new URL(target);
admin.pathname = "/postgres";
(async () => {
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  await client.end();
})().catch((error) => {
  console.error(`Could not create database ${name}: ${error.message}`);
  process.exit(1);
});
JS
}
