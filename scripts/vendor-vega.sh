#!/bin/sh
# Re-fetch the Vega bundles the site serves from its own assets (no CDN on an intranet).
# Versions match the Vega-Lite schema that the installed Altair emits (altair.SCHEMA_VERSION).
set -eu
VEGA=6.4.0 VEGA_LITE=6.4.1 VEGA_EMBED=7.3.0
target="$(cd "$(dirname "$0")/.." && pwd)/templates/assets/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
for package in "vega@$VEGA" "vega-lite@$VEGA_LITE" "vega-embed@$VEGA_EMBED"; do
  name=${package%@*}
  npm pack --silent "$package" >/dev/null
  mkdir "$name" && tar xzf "$name"-*.tgz -C "$name"
  # drop the source-map comment: the .map files are not shipped, and a browser would ask for them
  grep -v '^//# sourceMappingURL=' "$name/package/build/$name.min.js" > "$target/$name.min.js"
  cp "$name/package/LICENSE" "$target/$name.LICENSE"
done
