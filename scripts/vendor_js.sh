#!/usr/bin/env bash
# Refresh the JavaScript libraries that graph.network inlines into its HTML pages (graph/network/vendor/):
# the minified standalone builds of vis-network (the network page) and vis-timeline (the timeline page),
# with their licences, taken from the npm registry with `npm pack` (no node_modules, nothing run).
# Usage: scripts/vendor_js.sh [VIS_NETWORK_VERSION] [VIS_TIMELINE_VERSION]
# The pages open without network access because the code is copied into them when they are written.
set -euo pipefail
cd "$(dirname "$0")/.."
NETWORK_VERSION=${1:-10.1.5}
TIMELINE_VERSION=${2:-8.5.4}
DEST=graph/network/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # package version → its unpacked tarball in $work/<package>
  local tarball
  tarball=$(cd "$work" && npm pack --silent "$1@$2")
  mkdir -p "$work/$1"
  tar -xzf "$work/$tarball" -C "$work/$1" --strip-components=1
}

fetch vis-network "$NETWORK_VERSION"
fetch vis-timeline "$TIMELINE_VERSION"
mkdir -p "$DEST"
cp "$work/vis-network/standalone/umd/vis-network.min.js" "$DEST/vis-network.min.js"
cp "$work/vis-network/LICENSE-MIT" "$DEST/vis-network.LICENSE-MIT.txt"
cp "$work/vis-network/LICENSE-APACHE-2.0" "$DEST/vis-network.LICENSE-APACHE-2.0.txt"
cp "$work/vis-timeline/standalone/umd/vis-timeline-graph2d.min.js" "$DEST/vis-timeline-graph2d.min.js"
cp "$work/vis-timeline/LICENSE.MIT.txt" "$DEST/vis-timeline.LICENSE-MIT.txt"
cp "$work/vis-timeline/LICENSE.Apache-2.0.txt" "$DEST/vis-timeline.LICENSE-APACHE-2.0.txt"
cat > "$DEST/VERSIONS" <<VERSIONS
vis-network $NETWORK_VERSION standalone/umd/vis-network.min.js
vis-timeline $TIMELINE_VERSION standalone/umd/vis-timeline-graph2d.min.js
VERSIONS
echo "vendor_js: vis-network $NETWORK_VERSION and vis-timeline $TIMELINE_VERSION in $DEST"
