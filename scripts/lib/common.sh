# shellcheck shell=bash
# Helpers shared by scripts/demo.sh and scripts/test.sh.
set -euo pipefail

ROLLBOOK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ROLLBOOK_ROOT
export NEXT_TELEMETRY_DISABLED=1

# Another apt-get or dpkg on the machine (another checkout's `npm test`, unattended-upgrades) holds
# its locks for minutes: wait for them instead of failing. DPkg::Lock::Timeout covers only the dpkg
# locks; apt 2.6 still fails at once on /var/lib/apt/lists/lock (`apt-get update`) and
# /var/cache/apt/archives/lock, so those are retried here until the same deadline.
ROLLBOOK_APT_LOCK_WAIT="${ROLLBOOK_APT_LOCK_WAIT:-600}"
apt_get() {
  local deadline=$((SECONDS + ROLLBOOK_APT_LOCK_WAIT)) output status waited=0
  while :; do
    status=0
    output="$(LC_ALL=C DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$ROLLBOOK_APT_LOCK_WAIT" "$@" 2>&1)" || status=$?
    if [ "$status" -ne 0 ] && grep -q '^E: Could not get lock' <<<"$output" && [ "$SECONDS" -lt "$deadline" ]; then
      if [ "$waited" -eq 0 ]; then
        echo "==> Waiting for another apt-get/dpkg to finish: $(grep -m1 '^E: Could not get lock' <<<"$output" | cut -c4-)" >&2
        waited=1
      fi
      sleep 2
      continue
    fi
    [ "$status" -eq 0 ] || printf '%s\n' "$output" >&2
    return "$status"
  done
}

APT_UPDATED=0
apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "Need Debian packages ($*) but not root: install them with apt-get first." >&2
    return 1
  fi
  if [ "$APT_UPDATED" -eq 0 ]; then
    apt_get update -qq
    APT_UPDATED=1
  fi
  apt_get install -y -qq --no-install-recommends "$@" >/dev/null
}

# npm packages: installed from the lockfile when node_modules is missing or older than the lockfile.
ensure_node_modules() {
  cd "$ROLLBOOK_ROOT"
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> Installing npm packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
  # The generated Prisma client is git-ignored; make sure it matches the schema.
  if [ ! -f lib/generated/prisma/client.ts ] || [ prisma/schema.prisma -nt lib/generated/prisma/client.ts ]; then
    npm run --silent db:generate >/dev/null
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    echo "==> Installing Chromium (Debian package chromium)"
    apt_install chromium
  fi
}

ensure_promtool() {
  if ! command -v promtool >/dev/null 2>&1; then
    echo "==> Installing promtool (Debian package prometheus)"
    apt_install prometheus
  fi
}

# A secret that survives restarts of the demo, kept in the git-ignored .data folder.
persistent_secret() {
  local file="$ROLLBOOK_ROOT/.data/$1"
  mkdir -p "$ROLLBOOK_ROOT/.data"
  [ -s "$file" ] || node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))' >"$file"
  cat "$file"
}

# shellcheck source=scripts/lib/postgres.sh
source "$ROLLBOOK_ROOT/scripts/lib/postgres.sh"
