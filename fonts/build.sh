#!/usr/bin/env bash
# Rebuild the bundled fonts NotoSerifCJKsc-{Regular,Bold}.otf from Debian's
# fonts-noto-cjk package: take the Simplified Chinese face (index 2) of the
# Noto Serif CJK collections and trim it with fontTools' pyftsubset.
#
# Usage: fonts/build.sh [OUTDIR]        (OUTDIR defaults to this script's folder)
# Env:   NOTO_CJK_DIR  folder holding NotoSerifCJK-{Regular,Bold}.ttc
#                      (default /usr/share/fonts/opentype/noto)
#        PYTHON        Python interpreter (default python3)
#
# The output is deterministic for a given fonts-noto-cjk and fontTools version
# (pyftsubset keeps head.modified from the source font).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here}"
src="${NOTO_CJK_DIR:-/usr/share/fonts/opentype/noto}"
py="${PYTHON:-python3}"

if [[ ! -f "$src/NotoSerifCJK-Regular.ttc" || ! -f "$src/NotoSerifCJK-Bold.ttc" ]]; then
    echo "build.sh: $src/NotoSerifCJK-*.ttc missing; installing fonts-noto-cjk" >&2
    sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update
    $sudo apt-get install -y --no-install-recommends fonts-noto-cjk
fi
if ! "$py" -c 'import fontTools.subset' 2>/dev/null; then
    echo "build.sh: fontTools missing; installing it with pip" >&2
    "$py" -m pip install 'fonttools>=4.40'
fi

mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The code points to keep: everything encodable in GBK plus whole Unicode blocks.
"$py" - "$tmp/unicodes.txt" <<'PY'
import sys

keep = set()
# Every character encodable in GBK (two-byte area; single bytes are ASCII).
for lead in range(0x81, 0xFF):
    for trail in range(0x40, 0xFF):
        if trail == 0x7F:
            continue
        try:
            keep.add(ord(bytes([lead, trail]).decode("gbk")))
        except UnicodeDecodeError:
            pass

blocks = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x20A0, 0x20CF),  # Currency Symbols (euro sign)
    (0x2100, 0x214F),  # Letterlike Symbols (℃ № ™)
    (0x2150, 0x218F),  # Number Forms (Ⅰ Ⅱ ⅰ ½)
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical Operators (≥ ≤ ± × ÷ √ ∑)
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (① ⑴ ⒈ Ⓐ)
    (0x25A0, 0x25FF),  # Geometric Shapes (□ ■ ○ ● △)
    (0x2600, 0x26FF),  # Miscellaneous Symbols (★ ☆), as far as the font has them
    (0x2700, 0x27BF),  # Dingbats (✓), as far as the font has them
    (0x2E80, 0x2EFF),  # CJK Radicals Supplement (mostly shared glyphs)
    (0x2F00, 0x2FDF),  # Kangxi Radicals (shared glyphs; common in text copied from PDFs)
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3200, 0x32FF),  # Enclosed CJK Letters and Months (㈠ ㊀ ㊣)
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs (GBK has U+4E00..U+9FA5)
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]
for a, b in blocks:
    keep.update(range(a, b + 1))

with open(sys.argv[1], "w") as f:
    for cp in sorted(keep):
        f.write("U+%04X\n" % cp)
PY

# Renumber the CIDs so that CID == glyph index. The trimmed font keeps the sparse CIDs of the
# full collection (13 000 charset ranges), which makes every PDF subset look each glyph up
# through all of them; with CID == GID the charset is one range.
cat > "$tmp/renumber.py" <<'PY'
import sys
from fontTools.ttLib import TTFont

src, dst = sys.argv[1], sys.argv[2]
font = TTFont(src, recalcTimestamp=False)  # keep head.modified: reproducible output
order = font.getGlyphOrder()
new = [".notdef"] + ["cid%05d" % i for i in range(1, len(order))]
rename = dict(zip(order, new))
tags = sorted(font.keys())
for tag in tags:
    font[tag]  # decompile everything while the old names are current
handled = {"CFF ", "cmap", "hmtx", "vmtx", "VORG", "head", "hhea", "vhea", "maxp", "name",
           "OS/2", "post", "BASE", "GSUB", "GPOS", "GlyphOrder"}
unknown = [t for t in tags if t not in handled]
if unknown:
    sys.exit(f"renumber.py: tables keyed by glyph names not handled: {unknown}")
for tag in ("GSUB", "GPOS"):
    if tag in font and font[tag].table.LookupList and font[tag].table.LookupList.LookupCount:
        sys.exit(f"renumber.py: {tag} has lookups that would need renaming")
cff = font["CFF "].cff
top = cff[cff.fontNames[0]]
charstrings = top.CharStrings
charstrings.charStrings = {rename[k]: v for k, v in charstrings.charStrings.items()}
top.charset = new
for table in font["cmap"].tables:
    table.cmap = {cp: rename[g] for cp, g in table.cmap.items()}
for tag in ("hmtx", "vmtx"):
    if tag in font:
        font[tag].metrics = {rename[k]: v for k, v in font[tag].metrics.items()}
if "VORG" in font:
    vorg = font["VORG"]
    vorg.VOriginRecords = {rename[k]: v for k, v in vorg.VOriginRecords.items()}
font.setGlyphOrder(new)
font.save(dst)
PY

for weight in Regular Bold; do
    dst="$out/NotoSerifCJKsc-$weight.otf"
    # --desubroutinize: a PDF subset then carries only its glyphs' own charstrings instead of
    # the collection's subroutine tables (a two-page form: 105 KB → 89 KB, and faster).
    "$py" -m fontTools.subset "$src/NotoSerifCJK-$weight.ttc" \
        --font-number=2 \
        --unicodes-file="$tmp/unicodes.txt" \
        --layout-features='' \
        --no-hinting \
        --desubroutinize \
        --notdef-outline \
        --name-IDs='*' \
        --name-languages='*' \
        --output-file="$tmp/trimmed.otf"
    "$py" "$tmp/renumber.py" "$tmp/trimmed.otf" "$tmp/out.otf"
    mv -f "$tmp/out.otf" "$dst"
    echo "$dst: $(stat -c %s "$dst") bytes"
done
