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

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Picks the first port from $1 up that nothing listens on and that no other Rollbook script on this
# machine has reserved, and keeps the reservation (an flock on a file per port) until this shell
# and the servers it starts exit: two checkouts that look for a free port at the same moment, minutes
# before their servers bind it (`next build` runs in between), cannot both pick the same one.
# Sets RESERVED_PORT (a $(subshell) would drop the lock with the subshell).
RESERVED_PORT=""
RESERVED_PORT_FDS=()
reserve_free_port() {
  local port="$1" dir="${TMPDIR:-/tmp}/rollbook-port-locks" file fd
  { mkdir -p "$dir" && chmod 1777 "$dir"; } 2>/dev/null || true
  while [ "$port" -le 65535 ]; do
    file="$dir/$port.lock"
    [ -e "$file" ] || { : >"$file" && chmod 666 "$file"; } 2>/dev/null || true
    if [ -r "$file" ]; then
      exec {fd}<"$file"
      if flock -n "$fd" && ! port_in_use "$port"; then
        RESERVED_PORT="$port"
        RESERVED_PORT_FDS+=("$fd")
        return 0
      fi
      exec {fd}<&-
    fi
    port=$((port + 1))
  done
  echo "No free port from $1 up to 65535 on 127.0.0.1." >&2
  return 1
}

# For servers that outlive this script (PostgreSQL): they must not inherit the reservations, or a
# port would stay reserved after its user stopped.
without_port_reservations() {
  (
    for fd in "${RESERVED_PORT_FDS[@]}"; do exec {fd}<&-; done
    "$@"
  )
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
