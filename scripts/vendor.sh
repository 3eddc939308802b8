#!/usr/bin/env bash
# Refresh static/vendor from the npm packages pinned in package.json.
# The vendored files are committed, so running the app never needs npm.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for pkg in $(python3 -c 'import json; d=json.load(open("package.json"))["dependencies"]; print(" ".join(f"{k}@{v}" for k, v in d.items()))'); do
  (cd "$work" && npm pack --silent "$pkg" >/dev/null)
done
for tgz in "$work"/*.tgz; do
  name=$(basename "$tgz" .tgz); mkdir -p "$work/$name"; tar xzf "$tgz" -C "$work/$name"
done
v=static/vendor
rm -rf "$v"; mkdir -p "$v/bootstrap" "$v/chart.js" "$v/sortablejs"
b=$(ls -d "$work"/bootstrap-*/package)
cp "$b"/LICENSE "$b"/dist/css/bootstrap.min.css "$b"/dist/css/bootstrap.min.css.map \
   "$b"/dist/js/bootstrap.bundle.min.js "$b"/dist/js/bootstrap.bundle.min.js.map "$v/bootstrap/"
c=$(ls -d "$work"/chart.js-*/package)
cp "$c"/LICENSE.md "$c"/dist/chart.umd.min.js "$c"/dist/chart.umd.min.js.map "$v/chart.js/"
s=$(ls -d "$work"/sortablejs-*/package)
cp "$s"/LICENSE "$s"/Sortable.min.js "$v/sortablejs/"
echo "static/vendor refreshed:"; find "$v" -type f | sort
