#!/usr/bin/env bash
# Build the whole book strictly into a private folder, with a private execution cache, so that
# several people (or agents) can build at once without sharing _build/. Usage: tools/build_private.sh NAME
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: tools/build_private.sh NAME}
out=/tmp/jb-$name
make -s assets >/dev/null
mkdir -p "$out"
sed -e "s#cache: _build/.jupyter_cache#cache: $out/.jupyter_cache#" -e "s#book_furniture: _ext#book_furniture: $PWD/_ext#" _config.yml > "$out/_config.yml"
.venv/bin/jupyter-book build . -W -n --keep-going --path-output "$out" --config "$out/_config.yml" 2>&1 | tee "$out/book.log"
node tools/prerender_math.mjs "$out/_build/html"
.venv/bin/python tools/subset_icons.py "$out/_build/html"
echo "HTML in $out/_build/html"
