#!/usr/bin/env python3
"""Writes the hostile corpus of tests/hostile.rs into this folder.

Run from anywhere: `python3 tests/hostile/make_hostile.py`. Every file is small; the cases
that would be large (a 20 MB JSON) or cannot be committed (symbolic links, file names with
control characters) are made by the tests themselves, in a temporary folder.
"""

import copy
import io
import json
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SAMPLE = json.load(open(os.path.join(ROOT, "samples", "000.json"), encoding="utf-8"))


def write(name, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(HERE, name), mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as f:
        f.write(data)


def form(**changes):
    f = copy.deepcopy(SAMPLE)
    f.update(changes)
    return f


def dump(f):
    return json.dumps(f, ensure_ascii=False, indent=1) + "\n"


# Text that a spreadsheet would run as a formula (DDE, HYPERLINK, the @ + - prefixes).
formula = form(project="=cmd|' /C calc'!A0")
formula["goals"]["expected"] = "-2+3+cmd|' /C notepad'!A0"
formula["indicators"][0]["name"] = '=HYPERLINK("http://example.com/x","点击")'
formula["indicators"][0]["deviation"] = "@SUM(1+1)*cmd|' /C calc'!A0"
formula["indicators"][1]["name"] = "+1+1"
write("formula.json", dump(formula))

# Control characters (NUL, BEL, ESC with a colour sequence, DEL, C1 NEL, CR) in cell text.
control = form(project="项目\u0000\u0007\u001b[31m名称\u007f\u0085")
control["unit"] = "048019-北京\r\n艺术博物馆"
control["indicators"][0]["name"] = "门票\u0008销售\u000b\u000c数量"
control["goals"]["achieved"] = "完成\u001f情况\ufffe\uffff"
write("control.json", dump(control))

# A lone surrogate escape: valid JSON syntax for some parsers, not a character.
write("surrogate.json", dump(form(project="PLACEHOLDER")).replace("PLACEHOLDER", "\\ud800项目"))

# 2 000 indicators (the limit is 1 000).
many = form()
many["indicators"] = [
    {"level1": "产出指标", "level2": "数量指标", "name": f"指标{i}", "target": "1", "actual": "1"}
    for i in range(2000)
]
write("many-indicators.json", json.dumps(many, ensure_ascii=False) + "\n")

# Amounts at the edge of a 96-bit decimal: their sum would overflow (the bound is 10^15).
huge = form()
huge["funds"]["carryover"] = {"initial": None, "budget": "79228162514264337593543950335", "executed": None}
huge["funds"]["other"]["budget"] = "79228162514264337593543950335"
write("huge-amount.json", dump(huge))

# A budget of 10^-28: C/B is past any decimal; read, scored and rendered all the same.
tiny = form()
tiny["funds"]["total"]["budget"] = "0.0000000000000000000000000001"
write("tiny-budget.json", dump(tiny))

# Deep nesting, where a form has 3 levels.
write("deep.json", '{"project": ' + "[" * 10_000 + "]" * 10_000 + "}\n")
write("deep.toml", "project = " + "[" * 10_000 + "]" * 10_000 + "\n")
write("deep-keys.toml", "project." + ".".join(["a"] * 10_000) + " = 1\n")
write("deep-table.toml", "project = " + "{a = " * 5_000 + "1" + "}" * 5_000 + "\n")

def patched_form(project_xml):
    """A real form workbook whose 项目名称 cell (B3) holds `project_xml`, as raw XML."""
    with zipfile.ZipFile(os.path.join(ROOT, "tests", "fixtures", "read", "canonical-000.xlsx")) as src:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    old = "11000024T000002790130-2024年北京艺术博物馆票务系统服务费"
                    assert old.encode() in data
                    data = data.replace(old.encode(), project_xml.encode())
                dst.writestr(copy.copy(item), data)
        return out.getvalue()


# A 40 000-character cell (the limit is 32 767, what an xlsx cell holds).
write("long-cell.xlsx", patched_form("长" * 40_000))
# A character reference to a lone surrogate, which XML forbids.
write("xml-surrogate.xlsx", patched_form("&#xD800;项目"))

# A zip bomb: a worksheet of 210 MB of spaces, 200 kB compressed (the part limit is 200 MB).
out = io.BytesIO()
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    def fixed(name):  # a fixed date, so that the file is the same on every run
        return zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))

    z.writestr(fixed("[Content_Types].xml"), '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr(fixed("xl/workbook.xml"), '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets></workbook>')
    info = fixed("xl/worksheets/sheet1.xml")
    info.compress_type = zipfile.ZIP_DEFLATED
    with z.open(info, "w", force_zip64=True) as part:
        chunk = b" " * (1 << 20)
        for _ in range(210):
            part.write(chunk)
write("zip-bomb.xlsx", out.getvalue())

# Project names that try to leave the output folder, with a layout that names outputs by them.
for i, name in enumerate(["../../etc/x", "a/b", "..", "C:\\Windows\\x"]):
    write(f"traversal-{i}.json", dump(form(project=name)))
layout = open(os.path.join(ROOT, "layouts", "beijing-2024.toml"), encoding="utf-8").read()
old = 'output = "{{stem}}{{#if sheet}}-{{sheet}}{{/if}}"'
assert old in layout
write("by-project.layout.toml", layout.replace(old, 'output = "{{{project}}}"'))
