#!/usr/bin/env bash
# Installs Node.js MAJOR from the npm registry's `node` package into $AWSL_NODE_ROOT/MAJOR
# (default /opt/awsl-node) and prints the folder holding its `node`. Idempotent: an install that
# is already there is reused without asking the registry.
set -euo pipefail
major=${1:?usage: install-node.sh MAJOR}
root=${AWSL_NODE_ROOT:-/opt/awsl-node}/$major
bin=$root/node_modules/node/bin
if [[ ! -x $bin/node ]]; then
  printf 'install-node: installing node@%s into %s\n' "$major" "$root" >&2
  mkdir -p "$root"
  # The package's preinstall fetches the platform's binary, itself a registry package.
  npm install --prefix "$root" --no-audit --no-fund --no-save --loglevel=error "node@$major" >&2
fi
"$bin/node" --version >&2
printf '%s\n' "$bin"
