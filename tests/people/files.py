"""Import files as HR exports them: CSV in several encodings, and XLSX."""

import csv
import io

import openpyxl

HEADER = ["employee_number", "name", "department", "job_role", "manager", "email"]


def csv_file(rows: list[list[str]], header=HEADER, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_file(rows: list[list], header=HEADER) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
