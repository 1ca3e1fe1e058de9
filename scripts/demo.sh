#!/usr/bin/env bash
# `npm run demo`: everything a new user needs to see Rollbook working, from a fresh clone.
# Installs npm packages, starts a local PostgreSQL (unless DATABASE_URL is set), migrates, starts a
# simulated fleet of node agents, seeds demo users and the fleet, builds and starts the dashboard.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROLLBOOK_ROOT"

PORT="${PORT:-3000}"
DEMO_NODES="${ROLLBOOK_DEMO_NODES:-12}"
FLEET_DIR="$ROLLBOOK_ROOT/.data/fleet"
CHILD_PIDS=()

cleanup() {
  # `next start` runs the server as a child process of its own, so stop children first.
  for pid in "${CHILD_PIDS[@]}"; do
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

ensure_node_modules

if [ -n "${DATABASE_URL:-}" ]; then
  echo "==> Using the PostgreSQL server in DATABASE_URL"
else
  start_local_postgres
  export DATABASE_URL="$(local_database_url rollbook)"
  create_database_if_missing "$DATABASE_URL"
fi

echo "==> Applying database migrations"
npx prisma migrate deploy >/dev/null 2>&1 || npx prisma migrate deploy

echo "==> Starting $DEMO_NODES simulated node agents"
mkdir -p "$FLEET_DIR"
rm -f "$FLEET_DIR/fleet.json"
# Started with node directly (not through npm) so that $! is the fleet itself and Ctrl+C stops it.
node --import tsx lib/agent/fleet-cli.ts --count "$DEMO_NODES" --base-port 9101 --state-dir "$FLEET_DIR" --fleet-file "$FLEET_DIR/fleet.json" \
  --time-scale 48 --faults-file "$ROLLBOOK_ROOT/scripts/demo-faults.yaml" \
  >"$ROLLBOOK_ROOT/.data/fleet.log" 2>&1 &
CHILD_PIDS+=($!)
for _ in $(seq 1 120); do
  [ -s "$FLEET_DIR/fleet.json" ] && break
  kill -0 "${CHILD_PIDS[0]}" 2>/dev/null || { cat "$ROLLBOOK_ROOT/.data/fleet.log" >&2; exit 1; }
  sleep 0.5
done
[ -s "$FLEET_DIR/fleet.json" ] || { echo "The simulated fleet did not start; see .data/fleet.log" >&2; exit 1; }

# Encrypts the node agent secrets stored in Postgres; kept in .data/ so restarts can read them.
export ROLLBOOK_SECRET_KEY="${ROLLBOOK_SECRET_KEY:-$(persistent_secret secret-key)}"

echo "==> Seeding demo users, example releases and the fleet"
ROLLBOOK_FLEET_FILE="$FLEET_DIR/fleet.json" npx prisma db seed 2>&1 | grep -E '^Seed:' || true

export NEXTAUTH_SECRET="${NEXTAUTH_SECRET:-$(persistent_secret nextauth-secret)}"
export NEXTAUTH_URL="${NEXTAUTH_URL:-http://localhost:$PORT}"
export ROLLBOOK_DEMO=1

echo "==> Building the dashboard"
npx next build >"$ROLLBOOK_ROOT/.data/build.log" 2>&1 || { tail -40 "$ROLLBOOK_ROOT/.data/build.log" >&2; exit 1; }

echo "==> Starting the dashboard"
node_modules/.bin/next start -p "$PORT" -H 127.0.0.1 >"$ROLLBOOK_ROOT/.data/app.log" 2>&1 &
CHILD_PIDS+=($!)
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/login" 2>/dev/null && break
  kill -0 "${CHILD_PIDS[1]}" 2>/dev/null || { cat "$ROLLBOOK_ROOT/.data/app.log" >&2; exit 1; }
  sleep 0.5
done

cat <<BANNER

  Rollbook is running:  http://localhost:$PORT

  Demo users (email / password):
$(npx tsx scripts/print-demo-users.ts)

  Simulated fleet: $DEMO_NODES node agents on 127.0.0.1:9101+ (fleet file: .data/fleet/fleet.json)
  Database: $(node -e 'const u = new URL(process.argv[1]); console.log(`${u.hostname}:${u.port || 5432}${u.pathname}`)' "$DATABASE_URL")
  Logs: .data/app.log, .data/fleet.log. Press Ctrl+C to stop.

BANNER
wait -n "${CHILD_PIDS[@]}"
