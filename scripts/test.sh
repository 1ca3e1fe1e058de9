#!/usr/bin/env bash
# `npm test`: the whole suite, from a fresh clone. Installs what it needs (npm packages, Debian's
# chromium and prometheus for promtool, a real OpenClaw from npm, a local PostgreSQL unless DATABASE_URL is set), then runs
# typecheck, lint, unit tests, DB-backed tests and the Playwright end-to-end tests in Chromium.
#
# Tests never touch the database named in DATABASE_URL: they create rollbook_<id>_test and
# rollbook_<id>_e2e beside it on the same server (<id> names this checkout, so two checkouts sharing
# the server keep apart), or rollbook_test and rollbook_e2e on this checkout's own local server.
#
# Two checkouts may run it at once on one machine: each has its own local PostgreSQL (in its .data/,
# on the next free port), and the e2e dashboard takes E2E_PORT or 3100 or the next free port.
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=scripts/lib/openclaw.sh
source "$ROLLBOOK_ROOT/scripts/lib/openclaw.sh"
cd "$ROLLBOOK_ROOT" || exit 1

# Reserved now, bound by Playwright's dashboard minutes later: without the reservation a second
# checkout would pick the same port, and Playwright (reuseExistingServer) would test the other
# checkout's dashboard and database.
if [ -n "${E2E_PORT:-}" ]; then
  if ! reserve_free_port "$E2E_PORT" || [ "$RESERVED_PORT" != "$E2E_PORT" ]; then
    echo "E2E_PORT=$E2E_PORT is already in use on 127.0.0.1; choose another or leave it unset." >&2
    exit 1
  fi
else
  reserve_free_port 3100
  export E2E_PORT="$RESERVED_PORT"
fi
export E2E_PORT_RESERVED=1

ensure_node_modules
ensure_chromium
ensure_promtool
ensure_openclaw # a real OpenClaw (and the Node 24 it needs) for the agent's openclaw driver test

if [ -n "${DATABASE_URL:-}" ]; then
  SERVER_URL="$DATABASE_URL"
  # Another checkout may use the same server: its tests truncate their databases, not ours.
  DB_SUFFIX="_$(printf '%s' "$ROLLBOOK_ROOT" | sha256sum | cut -c1-8)"
  echo "==> Using the PostgreSQL server in DATABASE_URL for the test databases (rollbook${DB_SUFFIX}_test, rollbook${DB_SUFFIX}_e2e)"
else
  start_local_postgres
  SERVER_URL="$(local_database_url postgres)"
  DB_SUFFIX=""
fi
TEST_DATABASE_URL="$(with_database_name "$SERVER_URL" "rollbook${DB_SUFFIX}_test")"
E2E_DATABASE_URL="$(with_database_name "$SERVER_URL" "rollbook${DB_SUFFIX}_e2e")"
export TEST_DATABASE_URL E2E_DATABASE_URL
for url in "$TEST_DATABASE_URL" "$E2E_DATABASE_URL"; do
  create_database_if_missing "$url"
  DATABASE_URL="$url" npx prisma migrate deploy >/dev/null 2>&1 || DATABASE_URL="$url" npx prisma migrate deploy
done

RESULTS_DIR="$ROLLBOOK_ROOT/test-results"
mkdir -p "$RESULTS_DIR"
FAILED_STAGES=()

stage() {
  local name="$1"
  shift
  echo
  echo "==> $name"
  if ! "$@"; then
    FAILED_STAGES+=("$name")
  fi
}

stage "typecheck" npm run --silent typecheck
stage "lint" npm run --silent lint
stage "unit and DB tests (vitest)" env DATABASE_URL="$TEST_DATABASE_URL" \
  npx vitest run --reporter=default --reporter=json --outputFile.json="$RESULTS_DIR/vitest.json"
stage "end-to-end tests (Playwright, Chromium, port $E2E_PORT)" env DATABASE_URL="$E2E_DATABASE_URL" \
  PLAYWRIGHT_JSON_OUTPUT_NAME="$RESULTS_DIR/playwright.json" npx playwright test --reporter=list,json

echo
npx tsx scripts/summarize-test-results.ts "$RESULTS_DIR/vitest.json" "$RESULTS_DIR/playwright.json" || true
if [ "${#FAILED_STAGES[@]}" -gt 0 ]; then
  echo "Failed stages: ${FAILED_STAGES[*]}"
  exit 1
fi
echo "All stages passed."
