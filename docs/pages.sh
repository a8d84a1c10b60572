#!/usr/bin/env bash
# Regenerates docs/pages.png, the picture in the README: the two pages of the PDF of
# samples/001.json, side by side, at 80 dpi, reduced to 16 grey levels.
# Needs poppler-utils (pdftoppm) and Python 3 with Pillow.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cargo run --quiet -- render samples/001.json -o "$tmp" --format pdf --date 2025-03-01 --quiet
pdftoppm -r 80 -gray -png "$tmp/001.pdf" "$tmp/page"
python3 - "$tmp" docs/pages.png <<'PY'
import glob, sys
from PIL import Image

pages = [Image.open(p).convert("L") for p in sorted(glob.glob(sys.argv[1] + "/page-*.png"))]
gap = 16
out = Image.new("L", (sum(p.width for p in pages) + gap * (len(pages) + 1),
                      max(p.height for p in pages) + 2 * gap), 200)
x = gap
for p in pages:
    out.paste(p, (x, gap))
    x += p.width + gap
levels = 16
out = out.point(lambda v: round(v * (levels - 1) / 255) * 255 // (levels - 1))
out = out.convert("P", palette=Image.Palette.ADAPTIVE, colors=levels)
out.save(sys.argv[2], optimize=True, bits=4)
PY
echo "docs/pages.png: $(stat -c %s docs/pages.png) bytes"
