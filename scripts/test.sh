#!/usr/bin/env bash
# `npm test`: the whole suite, from a fresh clone. Installs what it needs (npm packages, Debian's
# chromium and prometheus for promtool, a local PostgreSQL unless DATABASE_URL is set), then runs
# typecheck, lint, unit tests, DB-backed tests and the Playwright end-to-end tests in Chromium.
#
# Tests never touch the database named in DATABASE_URL: they create rollbook_test and rollbook_e2e
# beside it on the same server (or on the local one).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROLLBOOK_ROOT"

ensure_node_modules
ensure_chromium
ensure_promtool

if [ -n "${DATABASE_URL:-}" ]; then
  SERVER_URL="$DATABASE_URL"
  echo "==> Using the PostgreSQL server in DATABASE_URL for the test databases"
else
  start_local_postgres
  SERVER_URL="$(local_database_url postgres)"
fi
export TEST_DATABASE_URL="$(with_database_name "$SERVER_URL" rollbook_test)"
export E2E_DATABASE_URL="$(with_database_name "$SERVER_URL" rollbook_e2e)"
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
stage "end-to-end tests (Playwright, Chromium)" env DATABASE_URL="$E2E_DATABASE_URL" \
  PLAYWRIGHT_JSON_OUTPUT_NAME="$RESULTS_DIR/playwright.json" npx playwright test --reporter=list,json

echo
npx tsx scripts/summarize-test-results.ts "$RESULTS_DIR/vitest.json" "$RESULTS_DIR/playwright.json" || true
if [ "${#FAILED_STAGES[@]}" -gt 0 ]; then
  echo "Failed stages: ${FAILED_STAGES[*]}"
  exit 1
fi
echo "All stages passed."
