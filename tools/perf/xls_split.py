#!/usr/bin/env python3
"""Rewrites a workbook from `hedui synth` as an `.xls`, its first sheet's rows cut into sheets
of 65,535 rows under the header (第1页, 第2页, ...), as systems limited to the old format
export a large table. Needs xlwt (`pip install xlwt==1.3.0`); the rest is standard library.

calamine parses an `.xls` whole, every sheet, when it is opened, so what an export of many
such sheets costs only shows on one (each sheet, and each sheet's merges, opened the file
again before c31aaaf):

    python3 tools/perf/xls_split.py worlds/g200000/property.xlsx worlds/xls/property.xls

Only the header row (the sheet's second row) and the filled rows below it are carried
over; number cells stay numbers (date cells become their serials); the title row is left
out. The whole sheet is held in memory (about 4 GB for a 200,000-household export).
"""
import re
import sys
import zipfile

import xlwt

ROWS_PER_SHEET = 65535
ROW = re.compile(r'<row r="\d+"[^>]*>(.*?)</row>', re.S)
CELL = re.compile(r'<c r="([A-Z]+)\d+"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
ENTITIES = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&amp;": "&"}


def column(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def unescaped(text):
    return re.sub(r"&(lt|gt|quot|apos|amp);", lambda m: ENTITIES[m.group(0)], text)


def cells(row):
    out = {}
    for m in CELL.finditer(row):
        at, attrs, inner = column(m.group(1)), m.group(2), m.group(3) or ""
        if "inlineStr" in attrs:
            text = re.search(r"<t[^>]*>(.*?)</t>", inner, re.S)
            out[at] = unescaped(text.group(1)) if text else ""
        elif value := re.search(r"<v>(.*?)</v>", inner):
            out[at] = float(value.group(1))
    return out


def main(src, dst):
    xml = zipfile.ZipFile(src).read("xl/worksheets/sheet1.xml").decode()
    body = xml.split("<sheetData>", 1)[1].split("</sheetData>", 1)[0]
    rows = [cells(r) for r in ROW.findall(body)]
    header, data = rows[1], rows[2:]
    book = xlwt.Workbook(encoding="utf-8")
    for start in range(0, len(data), ROWS_PER_SHEET):
        sheet = book.add_sheet(f"第{start // ROWS_PER_SHEET + 1}页")
        for at, value in header.items():
            sheet.write(0, at, value)
        for i, row in enumerate(data[start:start + ROWS_PER_SHEET]):
            for at, value in row.items():
                sheet.write(i + 1, at, value)
    book.save(dst)
    print(f"{len(data)} rows over {(len(data) + ROWS_PER_SHEET - 1) // ROWS_PER_SHEET} sheets")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
