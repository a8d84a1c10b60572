#!/usr/bin/env bash
# Regenerates docs/department.png, the department form's picture in the README: the first page
# of the PDF of Guizhou's 部门整体支出绩效自评表 (tests/fixtures/department/gz-suiyang-2021.xlsx)
# in the mof-department layout, at 60 dpi, reduced to 16 grey levels.
# Needs poppler-utils (pdftoppm) and Python 3 with Pillow.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cargo run --quiet -- render tests/fixtures/department/gz-suiyang-2021.xlsx -o "$tmp" \
    --format pdf --date 2025-03-01 --quiet
pdftoppm -r 60 -gray -png -f 1 -l 1 "$tmp/gz-suiyang-2021.pdf" "$tmp/page"
python3 - "$tmp" docs/department.png <<'PY'
import glob, sys
from PIL import Image

page = Image.open(sorted(glob.glob(sys.argv[1] + "/page-*.png"))[0]).convert("L")
levels = 16
page = page.point(lambda v: round(v * (levels - 1) / 255) * 255 // (levels - 1))
page = page.convert("P", palette=Image.Palette.ADAPTIVE, colors=levels)
page.save(sys.argv[2], optimize=True, bits=4)
PY
echo "docs/department.png: $(stat -c %s docs/department.png) bytes"
