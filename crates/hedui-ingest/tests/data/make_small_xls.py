# Generates small.xls and years.xls, the .xls fixtures for src/excel_reader/tests.rs.
# Run once with `pip install xlwt==1.3.0 && python3 make_small_xls.py`; the output is
# committed, so neither Python nor xlwt is needed to run the tests.
import datetime

import xlwt

book = xlwt.Workbook(encoding="utf-8")
sheet = book.add_sheet("车辆信息")
date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
stamp = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM:SS")
bordered = xlwt.easyxf("borders: bottom thin")

# Row 1: title merged across all columns; row 2: header.
sheet.write_merge(0, 0, 0, 4, "红河县机动车信息导出（导出日期：2024-05-01）")
for col, name in enumerate(["序号", "机动车所有人", "身份证号", "号牌号码", "初次登记日期"]):
    sheet.write(1, col, name)
# Rows 3-4: two co-owners sharing one plate, merged vertically.
sheet.write(2, 0, 1)
sheet.write(2, 1, "张三")
sheet.write(2, 2, "532522197506150034")
sheet.write_merge(2, 3, 3, 3, "云G12345")
sheet.write(2, 4, datetime.date(2019, 3, 5), date)
sheet.write(3, 0, 2)
sheet.write(3, 1, "李四")
sheet.write(3, 2, 532522197506150034)
sheet.write(3, 4, 43529)
# Row 5: empty; row 6: data with a time of day; row 7: totals footer.
sheet.write(5, 0, 3)
sheet.write(5, 1, "王五")
sheet.write(5, 2, "53252219800101001X")
sheet.write(5, 3, "云G54321")
sheet.write(5, 4, datetime.datetime(2020, 1, 2, 8, 30, 0), stamp)
sheet.write(6, 0, "合 计")
sheet.write(6, 1, "3辆")
# Rows 8-9: formatted but empty, as exports leave them; row 9 holds a lone space.
for row in (7, 8):
    for col in range(5):
        sheet.write(row, col, " " if (row, col) == (8, 2) else "", bordered)

book.add_sheet("说明").write(0, 0, "本表由系统自动生成")
book.save("small.xls")

# years.xls: one vehicle export cut into yearly sheets, as systems limited to 65,536 rows a
# sheet write them; the second sheet merges a plate over two co-owners' rows.
book = xlwt.Workbook(encoding="utf-8")
for year, rows in (("2021年", 3), ("2022年", 2), ("2023年", 4)):
    sheet = book.add_sheet(year)
    for col, name in enumerate(["号牌号码", "机动车所有人", "身份证明号码", "住所详细地址"]):
        sheet.write(0, col, name)
    for r in range(1, rows + 1):
        if year == "2022年" and r == 1:
            sheet.write_merge(1, 2, 0, 0, "云G20221")
        elif not (year == "2022年" and r == 2):
            sheet.write(r, 0, f"云G{year[:4]}{r}")
        sheet.write(r, 1, "李四" if r % 2 else "王五")
        sheet.write(r, 3, "蒙自市文澜镇")
book.save("years.xls")
