#!/usr/bin/env bash
# `npm run demo`: everything a new user needs to see Rollbook working, from a fresh clone.
# Installs npm packages, starts a local PostgreSQL (unless DATABASE_URL is set), migrates, starts a
# simulated fleet of node agents, seeds demo users and the fleet, builds and starts the dashboard.
#
# Another checkout on the same machine may be running its own demo: PostgreSQL, the fleet and the
# dashboard each take their usual port (54329, 9101+, 3000) or the next free one, and the banner
# prints where they ended up. An explicit PORT is taken as meant: when it is busy the demo stops.
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROLLBOOK_ROOT" || exit 1

DEMO_NODES="${ROLLBOOK_DEMO_NODES:-12}"
# The simulated fleet's clock runs this many times faster than the wall clock (a "4 h" leak takes 5 min).
DEMO_TIME_SCALE=48
FLEET_DIR="$ROLLBOOK_ROOT/.data/fleet"
FLEET_PID=""
APP_PID=""

cleanup() {
  # `next start` runs the server as a child process of its own, so stop children first.
  for pid in $APP_PID $FLEET_PID; do
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# The dashboard's port is chosen (and reserved against other checkouts) first, so that a busy
# explicit PORT fails in a second rather than after the build.
DEFAULT_PORT=3000
PORT_FROM_USER="${PORT:-}"
choose_dashboard_port() {
  if [ -n "$PORT_FROM_USER" ]; then
    if ! reserve_free_port "$PORT_FROM_USER" || [ "$RESERVED_PORT" != "$PORT_FROM_USER" ]; then
      echo "PORT=$PORT_FROM_USER is already in use on 127.0.0.1 (another demo or dashboard?)." >&2
      echo "Choose another PORT, or leave PORT unset and the demo takes $DEFAULT_PORT or the next free port." >&2
      exit 1
    fi
  else
    reserve_free_port "${1:-$DEFAULT_PORT}"
  fi
  PORT="$RESERVED_PORT"
}
choose_dashboard_port
mkdir -p "$ROLLBOOK_ROOT/.data"

ensure_node_modules

if [ -n "${DATABASE_URL:-}" ]; then
  echo "==> Using the PostgreSQL server in DATABASE_URL"
else
  start_local_postgres
  DATABASE_URL="$(local_database_url rollbook)"
  export DATABASE_URL
  create_database_if_missing "$DATABASE_URL"
fi

echo "==> Applying database migrations"
npx prisma migrate deploy >/dev/null 2>&1 || npx prisma migrate deploy

echo "==> Starting $DEMO_NODES simulated node agents"
mkdir -p "$FLEET_DIR"
rm -f "$FLEET_DIR/fleet.json"
# Agents from before the replay journal (docs/agent.md) left no record of the signatures they
# answered, so they would refuse every signed request for five minutes after this start. The
# fleet is simulated: start it afresh instead (the seed re-imports the nodes by name).
if compgen -G "$FLEET_DIR/*/operations" >/dev/null && ! compgen -G "$FLEET_DIR/*/replay-journal.jsonl" >/dev/null; then
  echo "==> The simulated fleet's state predates the agents' replay journal; starting the fleet afresh"
  find "$FLEET_DIR" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
fi
# Started with node directly (not through npm) so that $! is the fleet itself and Ctrl+C stops it.
# `auto`: 9101+, or the next free block when another fleet has those; the fleet file (read by the
# seed below) records the ports really bound. ROLLBOOK_FLEET_BASE_PORT=N asks for fixed ports.
node --import tsx lib/agent/fleet-cli.ts --count "$DEMO_NODES" --base-port "${ROLLBOOK_FLEET_BASE_PORT:-auto}" \
  --state-dir "$FLEET_DIR" --fleet-file "$FLEET_DIR/fleet.json" \
  --time-scale "$DEMO_TIME_SCALE" --faults-file "$ROLLBOOK_ROOT/scripts/demo-faults.yaml" \
  >"$ROLLBOOK_ROOT/.data/fleet.log" 2>&1 &
FLEET_PID=$!
for _ in $(seq 1 120); do
  [ -s "$FLEET_DIR/fleet.json" ] && break
  kill -0 "$FLEET_PID" 2>/dev/null || { cat "$ROLLBOOK_ROOT/.data/fleet.log" >&2; exit 1; }
  sleep 0.5
done
[ -s "$FLEET_DIR/fleet.json" ] || { echo "The simulated fleet did not start; see .data/fleet.log" >&2; exit 1; }
# For the banner: "127.0.0.1:9101-9112", or the list when the ports are not one block.
# shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
FLEET_PORTS="$(node -e '
  const urls = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).nodes.map((node) => new URL(node.url));
  const ports = urls.map((url) => Number(url.port)).sort((a, b) => a - b);
  const block = ports.length > 1 && ports.every((port, i) => port === ports[0] + i);
  console.log(`${urls[0].hostname}:${block ? `${ports[0]}-${ports.at(-1)}` : ports.join(",")}`);
' "$FLEET_DIR/fleet.json")"

# Encrypts the node agent secrets stored in Postgres; kept in .data/ so restarts can read them.
export ROLLBOOK_SECRET_KEY="${ROLLBOOK_SECRET_KEY:-$(persistent_secret secret-key)}"

echo "==> Seeding demo users, example releases and the fleet"
ROLLBOOK_FLEET_FILE="$FLEET_DIR/fleet.json" npx prisma db seed 2>&1 | grep -E '^Seed:' || true

export NEXTAUTH_SECRET="${NEXTAUTH_SECRET:-$(persistent_secret nextauth-secret)}"
# next-auth builds its redirects from NEXTAUTH_URL, so it follows the port the dashboard gets.
NEXTAUTH_URL_FROM_USER="${NEXTAUTH_URL:-}"
export NEXTAUTH_URL="${NEXTAUTH_URL_FROM_USER:-http://localhost:$PORT}"
export ROLLBOOK_DEMO=1
# The canary judge reads samples on the fleet's compressed clock, and needs a dozen of them from a
# canary before its first look: poll the small demo fleet every 2 s.
export ROLLBOOK_ANALYSIS_TIME_SCALE="${ROLLBOOK_ANALYSIS_TIME_SCALE:-$DEMO_TIME_SCALE}"
export ROLLBOOK_COLLECT_INTERVAL_MS="${ROLLBOOK_COLLECT_INTERVAL_MS:-2000}"

echo "==> Building the dashboard"
npx next build >"$ROLLBOOK_ROOT/.data/build.log" 2>&1 || { tail -40 "$ROLLBOOK_ROOT/.data/build.log" >&2; exit 1; }

# Other checkouts' scripts respect the reservation, but any other program may have taken the port
# during the build. Returns 1 when the port turned out to be taken; any other failure ends the demo.
start_dashboard() {
  port_in_use "$PORT" && return 1
  export NEXTAUTH_URL="${NEXTAUTH_URL_FROM_USER:-http://localhost:$PORT}"
  node_modules/.bin/next start -p "$PORT" -H 127.0.0.1 >"$ROLLBOOK_ROOT/.data/app.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 120); do
    if ! kill -0 "$APP_PID" 2>/dev/null; then
      wait "$APP_PID" 2>/dev/null || true
      APP_PID=""
      grep -q EADDRINUSE "$ROLLBOOK_ROOT/.data/app.log" && return 1
      cat "$ROLLBOOK_ROOT/.data/app.log" >&2
      exit 1
    fi
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/login" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "The dashboard did not answer on port $PORT within 60 s; see .data/app.log" >&2
  exit 1
}

echo "==> Starting the dashboard"
for attempt in 1 2 3 4 5; do
  start_dashboard && break
  if [ -n "$PORT_FROM_USER" ] || [ "$attempt" -eq 5 ]; then
    echo "Port $PORT on 127.0.0.1 was taken by another program while the dashboard was building." >&2
    exit 1
  fi
  choose_dashboard_port $((PORT + 1))
done
PORT_NOTE=""
[ -n "$PORT_FROM_USER" ] || [ "$PORT" = "$DEFAULT_PORT" ] || PORT_NOTE="  ($DEFAULT_PORT is taken on this machine; set PORT to choose)"

# shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
cat <<BANNER

  Rollbook is running:  http://localhost:$PORT$PORT_NOTE

  Demo users (email / password):
$(npx tsx scripts/print-demo-users.ts)

  Simulated fleet: $DEMO_NODES node agents on $FLEET_PORTS (fleet file: .data/fleet/fleet.json)
  Database: $(node -e 'const u = new URL(process.argv[1]); console.log(`${u.hostname}:${u.port || 5432}${u.pathname}`)' "$DATABASE_URL")
  Logs: .data/app.log, .data/fleet.log. Press Ctrl+C to stop.

BANNER
wait -n "$FLEET_PID" "$APP_PID"
