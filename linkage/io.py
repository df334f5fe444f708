"""Read custody and field files into the person schema, with every row accounted for.

Formats: CSV (UTF-8, UTF-8 with BOM, Windows-1252; comma, semicolon, tab or pipe separated),
XLSX (first sheet or a named one) and Parquet. Headers in Spanish or English are recognised from
``data/headers.csv``; a TOML mapping file names any other header::

    [columns]
    "Nombre del beneficiario" = "full_name"
    "Tel. contacto" = "phone"

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from linkage.errors import InputError
from linkage.schema import INPUT_COLUMNS, NAME_COLUMNS
from normalizers.resources import data_path
from normalizers.text import fold, is_missing

REJECT_COLUMNS = ["file", "row", "column", "reason", "kind"]


@dataclass
class ReadResult:
    """Records of one file in the person schema, and what was rejected from it.

    ``records`` holds raw values as strings (or None), one row per accepted input row, with a
    ``source_row`` column. ``rejects`` lists rejected rows (kind "row") and values that could not
    be used (kind "value", the row itself is kept): file, row, column, reason.
    """

    path: Path
    records: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    encoding: str | None = None
    header_map: dict[str, str] = field(default_factory=dict)

    @property
    def rows_rejected(self) -> int:
        return int((self.rejects["kind"] == "row").sum())


@cache
def header_aliases() -> dict[str, str]:
    """Folded header text -> schema column, from ``data/headers.csv``."""
    table = pd.read_csv(data_path("headers.csv"), dtype=str)
    return {fold(a): c for a, c in zip(table["alias"], table["column"], strict=True)}


def load_mapping(path: str | Path | None) -> dict[str, str]:
    """Read a TOML header mapping (``[columns]`` table: file header -> schema column)."""
    if path is None:
        return {}
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read the mapping file: {exc}") from None
    columns = data.get("columns", {})
    if not isinstance(columns, dict):
        raise InputError(path, "the mapping file needs a [columns] table")
    known = set(INPUT_COLUMNS) | {"surnames", "ignore"}
    for header, column in columns.items():
        if column not in known:
            raise InputError(path, f"{header!r} maps to unknown column {column!r}", column=header)
    return {fold(h): c for h, c in columns.items()}


def map_headers(path: Path, headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """File header -> schema column for the headers that are recognised."""
    aliases = header_aliases()
    out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for header in headers:
        key = fold(header)
        column = mapping.get(key) or aliases.get(key) or aliases.get(key.replace(" ", "_"))
        if column is None or column == "ignore":
            continue
        if column in seen:
            raise InputError(
                path,
                f"headers {seen[column]!r} and {header!r} both map to {column!r}",
                column=header,
            )
        seen[column] = header
        out[header] = column
    return out


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"


def _read_csv_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    text, encoding = _decode(path.read_bytes())
    if not text.strip():
        raise InputError(path, "the file is empty")
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        header = next(reader)
        start = reader.line_num + 1
        for row in reader:
            if any(v.strip() for v in row):
                rows.append((reader.line_num, row))
            last_start, start = start, reader.line_num + 1
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}", row=reader.line_num) from None
    if rows and any("\n" in v for v in rows[-1][1]):
        _check_closed_quote(path, text, delimiter, header, last_start, rows[-1][1])
    return header, rows, encoding


def _check_closed_quote(
    path: Path, text: str, delimiter: str, header: list[str], start: int, row: list[str]
) -> None:
    """Refuse a file whose last record holds a quote that is never closed: the field ran to the
    end of the file, swallowing every line after the one where it opened."""
    tail = "".join(io.StringIO(text, newline="").readlines()[start - 1 :])
    try:
        list(csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        column = next(i for i, v in enumerate(row) if "\n" in v)
        swallowed = row[column].rstrip("\r\n").count("\n")
        raise InputError(
            path,
            f"a quote (\") opens here and is never closed: the {swallowed} lines after it "
            "would be read as one value; close or remove the quote",
            row=start,
            column=header[column].strip() if column < len(header) else None,
        ) from None


def _cell(value: object) -> str | None:
    if is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _read_xlsx_rows(path: Path, sheet: str | None) -> tuple[list[str], list[tuple[int, list]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InputError(path, f"cannot open as an Excel workbook: {exc}") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError(
                path, f"no sheet named {sheet!r} (sheets: {', '.join(book.sheetnames)})"
            )
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
        if header is None:
            raise InputError(path, "the file is empty")
        rows = [(i, list(r)) for i, r in enumerate(it, start=2) if any(_cell(v) for v in r)]
    finally:
        book.close()
    return ["" if h is None else str(h) for h in header], rows


def _read_parquet_rows(path: Path) -> tuple[list[str], list[tuple[int, list]]]:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many kinds for a broken file
        raise InputError(path, f"cannot read as Parquet: {exc}") from None
    rows = [(i, list(r)) for i, r in enumerate(frame.itertuples(index=False, name=None), start=2)]
    return [str(c) for c in frame.columns], rows


def read_records(
    path: str | Path, mapping: dict[str, str] | None = None, sheet: str | None = None
) -> ReadResult:
    """Read one input file into the person schema; raise :class:`InputError` if it is unusable."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    suffix = path.suffix.lower()
    encoding = None
    if suffix in (".xlsx", ".xlsm"):
        header, rows = _read_xlsx_rows(path, sheet)
    elif suffix in (".parquet", ".pq"):
        header, rows = _read_parquet_rows(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        header, rows, encoding = _read_csv_rows(path)
        suffix = ".csv"
    else:
        raise InputError(path, f"unknown file type {suffix!r} (use .csv, .xlsx or .parquet)")

    return records_from_rows(path, header, rows, mapping or {}, encoding, ragged=suffix == ".csv")


def read_frame(
    frame: pd.DataFrame, label: str, mapping: dict[str, str] | None = None
) -> ReadResult:
    """The same checks and header recognition as :func:`read_records`, for a DataFrame in memory.

    ``label`` stands for the file name in messages (e.g. "custody").
    """
    rows = [(i, list(r)) for i, r in enumerate(frame.itertuples(index=False, name=None), start=2)]
    return records_from_rows(
        Path(label), [str(c) for c in frame.columns], rows, mapping or {}, None
    )


def records_from_rows(
    path: Path,
    header: list[str],
    rows: list[tuple[int, list]],
    mapping: dict[str, str],
    encoding: str | None,
    ragged: bool = False,
) -> ReadResult:
    """Map headers, check every row, and split rows into records and rejects."""
    header = [h.strip() for h in header]
    header_map = map_headers(path, header, mapping)
    columns = set(header_map.values())
    if "record_id" not in columns:
        raise InputError(path, f"no record_id column among the headers {header}")
    has_name = "full_name" in columns or (
        "given_names" in columns and columns & {"paternal_surname", "maternal_surname", "surnames"}
    )
    if not has_name:
        raise InputError(
            path,
            "no usable name column: need full_name (e.g. 'Nombre completo') or given_names with a "
            f"surname; headers found: {header}",
        )
    if not rows:
        raise InputError(path, "the file has a header but no records")

    index = {h: i for i, h in enumerate(header) if h in header_map}
    records: list[dict[str, object]] = []
    rejects: list[dict[str, object]] = []
    first_row_of: dict[str, int] = {}
    for row_number, values in rows:
        if ragged and len(values) != len(header):
            rejects.append(
                {
                    "file": str(path),
                    "row": row_number,
                    "column": "",
                    "reason": f"row has {len(values)} fields, header has {len(header)}",
                    "kind": "row",
                }
            )
            continue
        record: dict[str, object] = {"source_row": row_number}
        for h, i in index.items():
            record[header_map[h]] = _cell(values[i]) if i < len(values) else None
        if "surnames" in record:
            surnames = record.pop("surnames")
            if not record.get("paternal_surname"):
                record["paternal_surname"] = surnames
        reason = _row_problem(record, first_row_of)
        if reason is not None:
            column, text = reason
            rejects.append(
                {
                    "file": str(path),
                    "row": row_number,
                    "column": column,
                    "reason": text,
                    "kind": "row",
                }
            )
            continue
        first_row_of[str(record["record_id"])] = row_number
        records.append(record)

    if not records:
        raise InputError(path, f"no usable row: {_all_rejected(rejects)}")
    frame = pd.DataFrame.from_records(records)
    for column in INPUT_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    frame = frame[["source_row", *INPUT_COLUMNS]].astype(object)
    frame = frame.where(frame.notna(), None)
    frame["source_row"] = frame["source_row"].astype("int64")
    return ReadResult(
        path=path,
        records=frame,
        rejects=pd.DataFrame(rejects, columns=REJECT_COLUMNS),
        rows_read=len(rows),
        encoding=encoding,
        header_map=header_map,
    )


def _all_rejected(rejects: list[dict[str, object]]) -> str:
    """'all 3 rows rejected: 'no name in any name column' (3 rows, first row 2, column ...)'."""
    reasons = pd.Series([str(r["reason"]).split(" (")[0] for r in rejects])
    top, n = reasons.value_counts().index[0], int(reasons.value_counts().iloc[0])
    first = next(r for r in rejects if str(r["reason"]).startswith(top))
    where = f"first at row {first['row']}" + (
        f", column {first['column']!r}" if first["column"] else ""
    )
    return f"all {len(rejects)} rows rejected, {n} for {top!r} ({where})"


def _row_problem(record: dict[str, object], first_row_of: dict[str, int]) -> tuple[str, str] | None:
    record_id = record.get("record_id")
    if not record_id:
        return "record_id", "empty record_id"
    if str(record_id) in first_row_of:
        return (
            "record_id",
            f"duplicate record_id {record_id!r} (first at row {first_row_of[str(record_id)]})",
        )
    if not any(fold(record.get(c)) for c in NAME_COLUMNS):
        return "full_name", "no name in any name column"
    return None
