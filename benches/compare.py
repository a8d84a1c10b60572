#!/usr/bin/env python3
"""The pipeline a finance office would script without jixiao, for benches/compare.sh.

Reads every form under IN (JSON as jixiao writes it, or an .xlsx workbook read by its labels
with openpyxl), computes 执行率 and the funds score and adds up the indicator scores with
Decimal, and writes for each form an .xlsx (openpyxl: the table with merges, borders, wrapping)
and a PDF (reportlab platypus: the same table, wrapped, in the CID font STSong-Light, which
reportlab does not embed: less work than jixiao's embedded subsets) into OUT. One process,
one core, as such a script runs. Prints the number of forms written.

    python3 benches/compare.py IN OUT
"""

import json
import os
import sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
CELL = ParagraphStyle("cell", fontName="STSong-Light", fontSize=8, leading=10, wordWrap="CJK")
TITLE = ParagraphStyle("title", fontName="STSong-Light", fontSize=14, leading=18, alignment=1)
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")


def decimal(text):
    try:
        return Decimal(str(text).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        return None


def text_of(value):
    return "" if value is None else str(value).strip()


def from_workbook(path):
    """The form in a workbook, found by its labels (the row of 三级指标, 年度资金总额 …)."""
    sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
    rows = [[text_of(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    form = {"indicators": [], "funds": {"total": {}}, "goals": {}}

    def after(row, label):
        for i, cell in enumerate(row):
            if cell.replace(" ", "") == label:
                return next((c for c in row[i + 1 :] if c), "")
        return None

    header = None
    for r, row in enumerate(rows):
        for key, label in (("project", "项目名称"), ("department", "主管部门"), ("unit", "实施单位")):
            found = after(row, label)
            if found is not None:
                form[key] = found
        if any(c.startswith("年度资金总额") for c in row):
            numbers = [c for c in row if decimal(c) is not None]
            if len(numbers) >= 3:
                total = form["funds"]["total"]
                total["initial"], total["budget"], total["executed"] = numbers[:3]
        if header is None and "三级指标" in row:
            header = {name: row.index(name) for name in row if name}
            start = r + 1
    if header is not None:
        col = lambda *names: next((header[n] for n in names if n in header), None)
        name, target, actual = col("三级指标"), col("年度指标值"), col("实际完成值")
        weight, score = col("分值"), col("得分")
        for row in rows[start:]:
            if any(c.startswith("总分") for c in row):
                break
            if name is not None and row[name]:
                form["indicators"].append(
                    {
                        "level1": row[col("一级指标") or 0],
                        "level2": row[col("二级指标") or 0],
                        "name": row[name],
                        "target": row[target] if target is not None else "",
                        "actual": row[actual] if actual is not None else "",
                        "weight": row[weight] if weight is not None else "",
                        "score": row[score] if score is not None else "",
                        "deviation": "",
                    }
                )
    return form


def table_of(form):
    """The rows of the output table: header, funds with 执行率 and score, goals, indicators."""
    total = form.get("funds", {}).get("total") or {}
    budget, executed = decimal(total.get("budget")), decimal(total.get("executed"))
    rate = executed / budget if budget and executed is not None else Decimal(0)
    funds_score = (min(rate, Decimal(1)) * 10).quantize(Decimal("0.01"), ROUND_HALF_UP)
    score = funds_score + sum(
        (decimal(i.get("score")) or Decimal(0)) for i in form.get("indicators", [])
    )
    rows = [
        ["项目名称", form.get("project", ""), "", "", "", "", ""],
        ["主管部门", form.get("department", ""), "", "实施单位", form.get("unit", ""), "", ""],
        ["项目资金", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [
            "年度资金总额",
            text_of(total.get("initial")),
            text_of(total.get("budget")),
            text_of(total.get("executed")),
            "10",
            f"{(rate * 100).quantize(Decimal('0.01'), ROUND_HALF_UP)}%",
            str(funds_score),
        ],
        ["预期目标", form.get("goals", {}).get("expected", ""), "", "", "", "", ""],
        ["实际完成情况", form.get("goals", {}).get("achieved", ""), "", "", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    ]
    for i in form.get("indicators", []):
        rows.append(
            [text_of(i.get(k)) for k in ("level1", "level2", "name", "target", "actual", "weight", "score")]
        )
    rows.append(["总分", "", "", "", "", "100", str(score)])
    return rows


def write_xlsx(rows, path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.font = Font(name="宋体", size=10)
            cell.border = BORDER
            cell.alignment = WRAP
    for r in (1, 5, 6):
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=7)
    for letter, width in zip("ABCDEFG", (12, 14, 24, 14, 14, 8, 8)):
        ws.column_dimensions[letter].width = width
    wb.save(path)


def write_pdf(rows, title, path):
    cells = [[Paragraph(v.replace("&", "&amp;").replace("<", "&lt;"), CELL) for v in row] for row in rows]
    table = Table(cells, colWidths=[60, 70, 130, 80, 80, 45, 45], repeatRows=0)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("SPAN", (1, 0), (-1, 0)),
                ("SPAN", (1, 4), (-1, 4)),
                ("SPAN", (1, 5), (-1, 5)),
            ]
        )
    )
    doc = SimpleDocTemplate(path, pagesize=A4, title=title)
    doc.build([Paragraph("项目支出绩效自评表", TITLE), Spacer(1, 8), table])


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    count = 0
    for folder, _, files in sorted(os.walk(src)):
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name.endswith(".json"):
                with open(path, encoding="utf-8") as f:
                    form = json.load(f)
            elif name.endswith(".xlsx"):
                form = from_workbook(path)
            else:
                continue
            rows = table_of(form)
            stem = os.path.join(out, os.path.splitext(name)[0])
            write_xlsx(rows, stem + ".xlsx")
            write_pdf(rows, form.get("project", ""), stem + ".pdf")
            count += 1
    print(count)


if __name__ == "__main__":
    main()
