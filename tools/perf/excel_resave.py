#!/usr/bin/env python3
"""Rewrites a workbook from `hedui synth` the way Excel saves one: every text cell moved into
the shared-strings part (xl/sharedStrings.xml), and the first sheet's rows split over N
yearly sheets (2019年, 2020年, ...), each with the original title and header rows.

`hedui synth` writes its workbooks row by row with inline strings, which no spreadsheet
program does when it saves: Excel and WPS keep the text of all sheets in one shared part,
read whenever the workbook is opened. Reading cost that only shows on such a file (the
shared strings parsed once per sheet, before deb0fac) is measured on its output:

    python3 tools/perf/excel_resave.py worlds/g200000/property.xlsx worlds/sst/property.xlsx 4

Rows without cells (blank lines the generator writes as defects) are not carried over, so
the rewritten sheets hold only the filled rows, renumbered from 1. The whole first sheet is
held in memory (about 3 GB for a 200,000-household property export). Standard library only.
"""
import re
import sys
import zipfile

SHEET = "xl/worksheets/sheet1.xml"
REWRITTEN = {SHEET, "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"

ROW = re.compile(r'<row r="\d+"[^>]*/>|<row r="\d+"[^>]*>.*?</row>', re.S)
INLINE = re.compile(
    r'<c r="([A-Z]+)\d+"([^>]*?) t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>',
    re.S,
)
CELL_REF = re.compile(r'(<c r="[A-Z]+)\d+"')


def main(src, dst, sheets):
    book = zipfile.ZipFile(src)
    xml = book.read(SHEET).decode()
    head, rest = xml.split("<sheetData>", 1)
    body, tail = rest.split("</sheetData>", 1)
    # The dimension names the old extent; readers work it out when it is absent.
    head = re.sub(r'<dimension ref="[^"]*"/>', "", head)
    rows = ROW.findall(body)
    top, data = rows[:2], rows[2:]

    strings, index = [], {}

    def shared(text):
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    def renumbered(row, r):
        row = re.sub(r'^<row r="\d+"', f'<row r="{r}"', row)
        row = INLINE.sub(
            lambda m: f'<c r="{m.group(1)}{r}"{m.group(2)} t="s"><v>{shared(m.group(3))}</v></c>',
            row,
        )
        return CELL_REF.sub(lambda m: f'{m.group(1)}{r}"', row)

    per = (len(data) + sheets - 1) // sheets
    parts = []
    for k in range(sheets):
        chosen = top + data[k * per:(k + 1) * per]
        cells = "".join(renumbered(row, i + 1) for i, row in enumerate(chosen))
        parts.append(f"{head}<sheetData>{cells}</sheetData>{tail}")
    names = [f"{2019 + k}年" for k in range(sheets)]

    workbook = re.sub(
        r"<sheets>.*</sheets>",
        "<sheets>"
        + "".join(f'<sheet name="{n}" sheetId="{k + 1}" r:id="rId{k + 10}"/>' for k, n in enumerate(names))
        + "</sheets>",
        book.read("xl/workbook.xml").decode(),
    )
    def replaced(part, old_entry, closing, entries):
        """`part` without the first sheet's entry, and with `entries` before `closing`."""
        text = re.sub(old_entry, "", book.read(part).decode())
        return text.replace(closing, "".join(entries) + closing)

    rels = replaced(
        "xl/_rels/workbook.xml.rels",
        r'<Relationship Id="rId1"[^>]*/>',
        "</Relationships>",
        [
            f'<Relationship Id="rId{k + 10}" Type="{NS_REL}/worksheet" Target="worksheets/sheet{k + 1}.xml"/>'
            for k in range(sheets)
        ]
        + [f'<Relationship Id="rId9" Type="{NS_REL}/sharedStrings" Target="sharedStrings.xml"/>'],
    )
    types = replaced(
        "[Content_Types].xml",
        r'<Override PartName="/xl/worksheets/sheet1.xml"[^>]*/>',
        "</Types>",
        [
            f'<Override PartName="/xl/worksheets/sheet{k + 1}.xml" ContentType="{WORKSHEET_TYPE}"/>'
            for k in range(sheets)
        ]
        + [f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/>'],
    )

    def item(text):
        # The text is still escaped as it was in the sheet; spaces at its ends must be kept.
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f"<si><t{space}>{text}</t></si>"

    sst = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(item(t) for t in strings)
        + "</sst>"
    )
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in book.infolist():
            if info.filename not in REWRITTEN:
                out.writestr(info, book.read(info.filename))
        out.writestr("[Content_Types].xml", types)
        out.writestr("xl/workbook.xml", workbook)
        out.writestr("xl/_rels/workbook.xml.rels", rels)
        out.writestr("xl/sharedStrings.xml", sst)
        for k, part in enumerate(parts):
            out.writestr(f"xl/worksheets/sheet{k + 1}.xml", part)
    print(f"{len(data)} rows over {sheets} sheets; {len(strings)} shared strings, {len(sst.encode())} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
