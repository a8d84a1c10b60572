#!/usr/bin/env bash
# Regenerates docs/page-1.png, the rendered page shown in the README: page 1 of the PDF of
# samples/000.json at 110 dpi, reduced to 16 grey levels (about 75 KB instead of 300 KB).
# Needs poppler-utils (pdftoppm) and Python 3 with Pillow.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Exit code 1 is expected: sample 000 has an error finding; the PDF is written all the same.
cargo run --quiet -- render samples/000.json -o "$tmp" --format pdf --date 2025-03-01 || [ $? -eq 1 ]
pdftoppm -r 110 -f 1 -l 1 -gray -png -singlefile "$tmp/000.pdf" "$tmp/page"
python3 - "$tmp/page.png" docs/page-1.png <<'PY'
import sys
from PIL import Image

levels = 16
page = Image.open(sys.argv[1]).convert("L")
page = page.point(lambda v: round(v * (levels - 1) / 255) * 255 // (levels - 1))
page = page.convert("P", palette=Image.Palette.ADAPTIVE, colors=levels)
page.save(sys.argv[2], optimize=True, bits=4)
PY
echo "docs/page-1.png: $(stat -c %s docs/page-1.png) bytes"
