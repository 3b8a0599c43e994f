# Source this file: puts a Node.js >= 22 first on PATH.
# wrangler and workerd need Node 22+. When the system Node is older, a Node 22
# binary is installed from the npm registry (the `node` package ships the real
# binary) into a cache folder once and reused afterwards.
#   . scripts/use-node22.sh
um_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(um_node_major)" -lt 22 ]; then
  UM_NODE_DIR="${ULTRAMARKET_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ultramarket/node22}"
  if [ ! -x "$UM_NODE_DIR/node_modules/.bin/node" ]; then
    echo "use-node22: system Node is $(node -v 2>/dev/null || echo missing); installing node@22 into $UM_NODE_DIR" >&2
    mkdir -p "$UM_NODE_DIR"
    npm install --prefix "$UM_NODE_DIR" --no-save --no-audit --no-fund --loglevel=error node@22 >&2 || return 1
  fi
  export PATH="$UM_NODE_DIR/node_modules/.bin:$PATH"
  hash -r
fi
unset -f um_node_major
