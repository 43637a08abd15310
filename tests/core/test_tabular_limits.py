"""The XLSX reader refuses decompression and shared-strings bombs before openpyxl parses them,
and stops a sheet that yields too many cells while it is read (apps/core/tabular.py)."""

import io
import time
import zipfile

import openpyxl
import pytest

from apps.core.tabular import UnreadableFile, read_rows

SST = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"{attrs}>{body}</sst>'

SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def workbook(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_members(content: bytes, replaced: dict[str, bytes]) -> bytes:
    """The workbook with some members replaced or added, every member deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name not in replaced:
                target.writestr(name, source.read(name), zipfile.ZIP_DEFLATED)
        for name, data in replaced.items():
            target.writestr(name, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def shared_strings_bomb(
    strings: int = 300_000, attrs: str = "", part: str = "xl/sharedStrings.xml"
) -> bytes:
    """A tiny workbook whose shared strings part (declared in [Content_Types].xml, so openpyxl
    loads it) holds `strings` entries of 17 bytes each."""
    content = workbook([["title"], ["a"]])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    override = f'<Override PartName="/{part}" ContentType="{SST_TYPE}" />'
    types = types.replace("</Types>", override + "</Types>")
    xml = SST.format(attrs=attrs, body="<si><t>x</t></si>" * strings).encode()
    return with_members(content, {part: xml, "[Content_Types].xml": types.encode()})


def refusal(content: bytes) -> str:
    with pytest.raises(UnreadableFile) as refused:
        list(read_rows(content, "xlsx"))
    return str(refused.value)


def test_an_ordinary_workbook_is_read():
    assert list(read_rows(workbook([["a", "b"], ["c", 1]]), "xlsx")) == [["a", "b"], ["c", "1"]]


def test_the_sum_of_uncompressed_sizes_is_bounded(settings):
    content = workbook([["a", "b"], ["c", "d"]])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        total = sum(member.file_size for member in archive.infolist())
    settings.FENGKONG_XLSX_MAX_UNCOMPRESSED_BYTES = total
    assert len(list(read_rows(content, "xlsx"))) == 2  # at the limit
    settings.FENGKONG_XLSX_MAX_UNCOMPRESSED_BYTES = total - 1
    assert refusal(content) == f"The XLSX file unpacks to more than {total - 1:,} bytes."


def test_a_member_compressed_more_than_the_ratio_is_refused(settings):
    padded = with_members(workbook([["a"]]), {"xl/media/padding.bin": b" " * 1_000_000})
    assert "compressed more than 100:1 (xl/media/padding.bin)" in refusal(padded)
    settings.FENGKONG_XLSX_MAX_COMPRESSION_RATIO = 10_000
    assert list(read_rows(padded, "xlsx")) == [["a"]]


def test_shared_strings_are_counted_while_streaming_and_refused_past_the_limit(settings):
    settings.FENGKONG_XLSX_MAX_COMPRESSION_RATIO = 10_000  # reach the shared-strings check
    bomb = shared_strings_bomb()
    started = time.process_time()
    message = refusal(bomb)
    spent = time.process_time() - started
    print(f"{len(bomb):,}-byte workbook, 300,000 shared strings: refused in {spent:.3f} s CPU")
    assert message == "The XLSX file has more than 200,000 shared strings."
    assert spent < 5
    settings.FENGKONG_XLSX_MAX_SHARED_STRINGS = 300_000
    assert list(read_rows(bomb, "xlsx")) == [["title"], ["a"]]  # at the limit: read


def test_a_shared_strings_part_under_another_name_is_checked_too(settings):
    settings.FENGKONG_XLSX_MAX_COMPRESSION_RATIO = 10_000
    bomb = shared_strings_bomb(part="xl/strings-elsewhere.xml")
    assert refusal(bomb) == "The XLSX file has more than 200,000 shared strings."


def test_the_announced_unique_count_is_refused_before_any_string_is_read():
    bomb = shared_strings_bomb(strings=2, attrs=' count="2" uniqueCount="200001"')
    assert refusal(bomb) == "The XLSX file has more than 200,000 shared strings."


def test_an_announced_reference_count_above_the_cell_limit_is_refused(settings):
    settings.FENGKONG_XLSX_MAX_CELLS = 100
    bomb = shared_strings_bomb(strings=2, attrs=' count="101" uniqueCount="2"')
    assert refusal(bomb) == "The XLSX file has more than 100 cells."


def test_broken_shared_strings_xml_is_unreadable():
    broken = with_members(workbook([["a"]]), {"xl/sharedStrings.xml": b"<sst><si><t>x"})
    assert refusal(broken) == "Not a readable XLSX file (shared strings)."


def test_cells_are_counted_while_the_rows_are_read(settings):
    settings.FENGKONG_XLSX_MAX_CELLS = 10
    assert len(list(read_rows(workbook([["a"] * 5, ["b"] * 5]), "xlsx"))) == 2
    rows = read_rows(workbook([["a"] * 5, ["b"] * 5, ["c"] * 5]), "xlsx")
    assert next(rows) == ["a"] * 5 and next(rows) == ["b"] * 5  # rows up to the limit come
    with pytest.raises(UnreadableFile, match="more than 10 cells"):
        next(rows)

