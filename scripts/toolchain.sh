#!/usr/bin/env bash
# Makes sure the project's toolchain is present: Node.js 24 and pnpm, both taken from the npm
# registry into .tools/ when the machine's own are missing or too old. Source it; it puts
# .tools/bin first on PATH and points native add-on builds at Node 24's own headers.
# Nothing here downloads from anywhere but the npm registry.

BQX_NODE_VERSION="${BQX_NODE_VERSION:-24.21.0}"
BQX_PNPM_VERSION="${BQX_PNPM_VERSION:-10.34.9}"

bqx_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bqx_tools="$bqx_root/.tools"

bqx_log() { printf '[toolchain] %s\n' "$*" >&2; }

bqx_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

bqx_fetch_npm_tarball() {
  # $1 = package spec, $2 = destination directory (replaced)
  local spec="$1" dest="$2" tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null) || { rm -rf "$tmp"; return 1; }
  rm -rf "$dest" && mkdir -p "$dest"
  tar -xzf "$tmp"/*.tgz -C "$dest" --strip-components=1
  rm -rf "$tmp"
}

bqx_ensure_toolchain() {
  mkdir -p "$bqx_tools/bin"
  local node_dir="$bqx_tools/node-v$BQX_NODE_VERSION"
  local system_node
  system_node="$(command -v node || true)"

  if [ ! -x "$node_dir/bin/node" ]; then
    if [ -n "$system_node" ] && [ "$(bqx_node_major "$system_node")" -ge 24 ] && [ -z "${BQX_FORCE_NODE:-}" ]; then
      node_dir=""
    else
      command -v npm >/dev/null || { bqx_log "npm is needed to fetch Node $BQX_NODE_VERSION (apt-get install npm)"; return 1; }
      local arch
      case "$(uname -m)" in
        x86_64) arch=x64 ;;
        aarch64 | arm64) arch=arm64 ;;
        *) bqx_log "unsupported CPU $(uname -m)"; return 1 ;;
      esac
      bqx_log "installing Node.js $BQX_NODE_VERSION from the npm registry (node-linux-$arch)"
      bqx_fetch_npm_tarball "node-linux-$arch@$BQX_NODE_VERSION" "$node_dir" || { bqx_log "could not fetch Node.js"; return 1; }
    fi
  fi
  if [ -n "$node_dir" ]; then
    ln -sfn "$node_dir/bin/node" "$bqx_tools/bin/node"
    # node-gyp builds native add-ons (ssh2's crypto binding) against these headers, not the machine's.
    export npm_config_nodedir="$node_dir"
  fi

  local pnpm_dir="$bqx_tools/pnpm-$BQX_PNPM_VERSION"
  if [ ! -f "$pnpm_dir/bin/pnpm.cjs" ]; then
    bqx_log "installing pnpm $BQX_PNPM_VERSION from the npm registry"
    bqx_fetch_npm_tarball "pnpm@$BQX_PNPM_VERSION" "$pnpm_dir" || { bqx_log "could not fetch pnpm"; return 1; }
  fi
  # The shim is replaced only when it changes, and by a rename: two ./dev commands started at once
  # would otherwise truncate it under each other ("Text file busy").
  local shim
  shim="$(printf '#!/bin/sh\nexec "%s" "%s" "$@"' "$bqx_tools/bin/node" "$pnpm_dir/bin/pnpm.cjs")"
  if [ ! -x "$bqx_tools/bin/pnpm" ] || [ "$(cat "$bqx_tools/bin/pnpm")" != "$shim" ]; then
    printf '%s\n' "$shim" >"$bqx_tools/bin/pnpm.$$"
    chmod +x "$bqx_tools/bin/pnpm.$$"
    mv -f "$bqx_tools/bin/pnpm.$$" "$bqx_tools/bin/pnpm"
  fi
  [ -x "$bqx_tools/bin/node" ] || ln -sfn "$system_node" "$bqx_tools/bin/node"

  case ":$PATH:" in
    *":$bqx_tools/bin:"*) ;;
    *) export PATH="$bqx_tools/bin:$PATH" ;;
  esac
  export npm_config_update_notifier=false
}
