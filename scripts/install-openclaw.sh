#!/usr/bin/env bash
# Installs (or reuses) the real OpenClaw the openclaw driver's test drives, and prints the
# variables that point the test at it. `npm test` does this itself; to run the test alone:
#   eval "$(bash scripts/install-openclaw.sh)" && npx vitest run --project real
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=scripts/lib/openclaw.sh
source "$ROLLBOOK_ROOT/scripts/lib/openclaw.sh"
ensure_openclaw >&2
printf 'export ROLLBOOK_OPENCLAW_NODE_BIN=%q\nexport ROLLBOOK_OPENCLAW_PREFIX=%q\n' "$ROLLBOOK_OPENCLAW_NODE_BIN" "$ROLLBOOK_OPENCLAW_PREFIX"
