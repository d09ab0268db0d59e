import csv
import io

from openpyxl import load_workbook

from core.exports import csv_text, spreadsheet_safe, table_response, xlsx_bytes

HOSTILE = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "普通文本"]


def test_formula_prefixes_are_neutralised_and_numbers_kept():
    assert [spreadsheet_safe(v) for v in HOSTILE] == [
        "'=1+1",
        "'+cmd",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "普通文本",
    ]
    assert spreadsheet_safe(-3) == -3


def test_xlsx_reads_back_neutralised():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["名称", "数"], [[v, 1] for v in HOSTILE]))).active
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == [spreadsheet_safe(v) for v in HOSTILE]


def test_csv_reads_back_neutralised():
    rows = list(csv.reader(io.StringIO(csv_text(["名称"], [[v] for v in HOSTILE]))))
    assert [r[0] for r in rows[1:]] == [spreadsheet_safe(v) for v in HOSTILE]


def test_csv_response_has_bom_and_chinese_filename():
    response = table_response(["名称"], [["甲"]], "需求统计", "csv")
    assert response.content.startswith("\ufeff".encode())
    assert "filename*=UTF-8''" in response["Content-Disposition"]
