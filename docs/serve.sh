#!/usr/bin/env bash
# Regenerates docs/serve.png, the screenshot of `jixiao serve` in the README: the browser test
# (tests/browser.rs) drops samples/000.xlsx on the page in headless Chromium, types the
# sign-off and saves the page as it shows it; the screenshot is then reduced to 64 colours
# (about a third of the size). Needs Debian's chromium and chromium-driver, and Python 3 with
# Pillow.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

JIXIAO_REQUIRE_TOOLS=1 JIXIAO_SCREENSHOT="$tmp/serve.png" \
  cargo test --quiet --test browser a_form_is_shown_checked_on_its_table_and_downloaded
python3 - "$tmp/serve.png" docs/serve.png <<'PY'
import sys
from PIL import Image

page = Image.open(sys.argv[1]).convert("RGB")
page = page.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
page.save(sys.argv[2], optimize=True)
PY
echo "docs/serve.png: $(stat -c %s docs/serve.png) bytes"
