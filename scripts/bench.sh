#!/usr/bin/env bash
# `npm run bench`: every benchmark in scripts/bench/, each reported as a ratio against a baseline
# measured in the same run. The rollback benchmark needs Postgres: it uses rollbook_bench on the
# DATABASE_URL server, or on the local one started here.
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROLLBOOK_ROOT" || exit 1
ensure_node_modules
if [ -n "${DATABASE_URL:-}" ]; then
  SERVER_URL="$DATABASE_URL"
else
  start_local_postgres
  SERVER_URL="$(local_database_url postgres)"
fi
DATABASE_URL="$(with_database_name "$SERVER_URL" rollbook_bench)"
export DATABASE_URL
export ROLLBOOK_SECRET_KEY="${ROLLBOOK_SECRET_KEY:-bench-only-agent-secrets-key-0123456789}"
create_database_if_missing "$DATABASE_URL"
npx prisma migrate deploy >/dev/null 2>&1 || npx prisma migrate deploy
# react-server: the benchmarks drive the real server services, which are marked "server-only".
exec node --import tsx --conditions=react-server scripts/bench.ts "$@"
