"""Read custody and field files into the person schema, with every row accounted for.

Formats: CSV (UTF-8, UTF-8 with BOM, Windows-1252, a mix of them line by line, UTF-16 with BOM;
comma, semicolon, tab or pipe separated; see :mod:`linkage.decoding`), Excel (.xlsx, legacy .xls;
first sheet or a named one) and Parquet. Headers in Spanish or English are recognised from
``data/headers.csv`` (:mod:`linkage.headers`); a TOML mapping file names any other header::

    [columns]
    "Nombre del beneficiario" = "full_name"
    "Tel. contacto" = "phone"

Title rows above the headers are skipped. Rows are numbered as a spreadsheet shows them: with the
header in row 1, the first record is row 2. Mojibake ("MuÃ±oz") is repaired where the bytes prove
it; a name that cannot be decoded rejects its row, any other such value is ignored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from linkage.decoding import Decoded, DecodeError, decode_lines, garbled_reason, repair_mojibake
from linkage.errors import InputError
from linkage.headers import (
    HEADER_SEARCH_ROWS,
    JOINED_COLUMNS,
    find_header_row,
    header_aliases,
    ignored_columns,
    map_headers,
)
from linkage.schema import INPUT_COLUMNS, NAME_COLUMNS
from linkage.sheets import read_xls_rows, read_xlsx_rows
from normalizers.text import fold, is_missing

__all__ = ["REJECT_COLUMNS", "ReadResult", "header_aliases", "load_mapping", "read_records"]

REJECT_COLUMNS = ["file", "row", "column", "reason", "kind"]
DELIMITERS = ",;\t|"
#: columns whose undecodable value rejects the row (elsewhere the value alone is ignored)
_ROW_COLUMNS = frozenset(("record_id", *NAME_COLUMNS, "surnames"))


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
    #: row number of the headers (title rows above it are skipped)
    header_row: int = 1
    sheet: str | None = None
    #: data rows decoded in another encoding than ``encoding`` (``redecoded_as``)
    rows_redecoded: int = 0
    redecoded_as: str | None = None
    #: values repaired from mojibake ("MuÃ±oz" -> "Muñoz")
    values_repaired: int = 0
    #: headers no column is read from: ``header`` and the closest known ``suggestion``
    ignored_columns: list[dict[str, str | None]] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return int((self.rejects["kind"] == "row").sum())

    def reading(self) -> dict[str, object]:
        """How the file was read, for the manifest."""
        return {
            "encoding": self.encoding,
            "rows_redecoded": self.rows_redecoded,
            "redecoded_as": self.redecoded_as,
            "values_repaired": self.values_repaired,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "ignored_columns": self.ignored_columns,
        }


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


def _delimiter(text: str) -> str:
    r"""The separator that splits most of the first lines into the same number of fields (a title
    row above the headers, or a comma inside a name, does not count against it).

    >>> _delimiter("Informe\nId\tNombre\tEdad\nF1\tPérez, Ana\t34\n")
    '\t'
    """
    lines = [line for line in text[:65536].split("\n")[:HEADER_SEARCH_ROWS] if line.strip()]
    best, best_score = ",", (0, 0)
    for d in DELIMITERS:
        counts = Counter(line.count(d) for line in lines if d in line)
        if counts:
            fields, lines_agreeing = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            if (lines_agreeing, fields) > best_score:
                best, best_score = d, (lines_agreeing, fields)
    return best


@dataclass
class _CsvRows:
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[str]]]
    decoded: Decoded
    redecoded_rows: int


def _read_csv_rows(path: Path, mapping: dict[str, str], header_row: int | None) -> _CsvRows:
    try:
        decoded = decode_lines(path.read_bytes())
    except DecodeError as exc:
        raise InputError(path, str(exc)) from None
    text = decoded.text
    if not text.strip():
        raise InputError(path, "the file is empty")
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    starts: dict[int, int] = {}
    start = 1
    try:
        for row in reader:
            if any(v.strip() for v in row):
                rows.append((reader.line_num, row))
                starts[reader.line_num] = start
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}", row=reader.line_num) from None
    found = find_header_row(path, rows, mapping, header_row)
    header, data = rows[found][1], rows[found + 1 :]
    if data and any("\n" in v for v in data[-1][1]):
        _check_closed_quote(path, text, delimiter, header, starts[data[-1][0]], data[-1][1])
    redecoded = (
        sum(any(n in decoded.redecoded for n in range(starts[end], end + 1)) for end, _ in data)
        if decoded.redecoded
        else 0
    )
    return _CsvRows(header, rows[found][0], data, decoded, redecoded)


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
            f'a quote (") opens here and is never closed: the {swallowed} lines after it '
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


def _read_parquet_rows(path: Path) -> tuple[list[str], list[tuple[int, list]]]:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many kinds for a broken file
        raise InputError(path, f"cannot read as Parquet: {exc}") from None
    rows = [(i, list(r)) for i, r in enumerate(frame.itertuples(index=False, name=None), start=2)]
    return [str(c) for c in frame.columns], rows


def read_records(
    path: str | Path,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
) -> ReadResult:
    """Read one input file into the person schema; raise :class:`InputError` if it is unusable.

    ``sheet``: the Excel sheet to read (default: the first; ignored for other formats).
    ``header_row``: the row holding the headers, as the spreadsheet numbers it (default: found
    among the first rows, below any title rows).
    """
    path = Path(path)
    mapping = mapping or {}
    if not path.exists():
        raise InputError(path, "no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        reader = read_xls_rows if suffix == ".xls" else read_xlsx_rows
        sheet, rows = reader(path, sheet)
        if not rows:
            raise InputError(path, f"the sheet {sheet!r} is empty")
        found = find_header_row(path, rows, mapping, header_row)
        header, number, data = rows[found][1], rows[found][0], rows[found + 1 :]
        read = records_from_rows(path, header, data, mapping, None, header_row=number)
        read.sheet = sheet
        return read
    if suffix in (".parquet", ".pq"):
        header, rows = _read_parquet_rows(path)
        return records_from_rows(path, header, rows, mapping, None)
    if suffix in (".csv", ".txt", ".tsv"):
        csv_rows = _read_csv_rows(path, mapping, header_row)
        decoded = csv_rows.decoded
        read = records_from_rows(
            path,
            csv_rows.header,
            csv_rows.rows,
            mapping,
            decoded.encoding,
            ragged=True,
            header_row=csv_rows.header_row,
        )
        read.rows_redecoded = csv_rows.redecoded_rows
        read.redecoded_as = decoded.redecoded_as if csv_rows.redecoded_rows else None
        return read
    raise InputError(
        path, f"unknown file type {suffix!r} (use .csv, .txt, .xlsx, .xls or .parquet)"
    )


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


def _reject(path: Path, row: int, column: str, reason: str, kind: str) -> dict[str, object]:
    return {"file": str(path), "row": row, "column": column, "reason": reason, "kind": kind}


def records_from_rows(
    path: Path,
    header: list,
    rows: list[tuple[int, list]],
    mapping: dict[str, str],
    encoding: str | None,
    ragged: bool = False,
    header_row: int = 1,
) -> ReadResult:
    """Map headers, check every row, and split rows into records and rejects.

    ``header_row``: the row number of ``header`` in the file, for messages and the manifest.
    """
    header = [repair_mojibake(_cell(h) or "") for h in header]
    header_map = map_headers(path, header, mapping)
    columns = set(header_map.values())
    if "record_id" not in columns:
        raise InputError(
            path,
            f"no record_id column among the headers {header} in row {header_row}: name the "
            "header row with --header-row, or the column with --mapping",
        )
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
    repaired = 0
    for row_number, values in rows:
        if ragged and len(values) != len(header):
            reason = f"row has {len(values)} fields, header has {len(header)}"
            rejects.append(_reject(path, row_number, "", reason, "row"))
            continue
        record: dict[str, object] = {"source_row": row_number}
        ignored: list[dict[str, object]] = []
        problem: tuple[str, str] | None = None
        row_repaired = 0
        for h, i in index.items():
            column = header_map[h]
            value = _cell(values[i]) if i < len(values) else None
            if value is not None and not value.isascii():
                fixed = repair_mojibake(value)
                row_repaired += fixed != value
                value = fixed
                bad = garbled_reason(value)
                if bad is not None and column in _ROW_COLUMNS:
                    problem = problem or (h, bad)
                elif bad is not None:
                    ignored.append(_reject(path, row_number, h, bad, "value"))
                    value = None
            if column in JOINED_COLUMNS and record.get(column):
                value = f"{record[column]}; {value}" if value else record[column]
            record[column] = value
        if "surnames" in record:
            surnames = record.pop("surnames")
            if not record.get("paternal_surname"):
                record["paternal_surname"] = surnames
        problem = problem or _row_problem(record, first_row_of)
        if problem is not None:
            column, text = problem
            rejects.append(_reject(path, row_number, column, text, "row"))
            continue
        first_row_of[str(record["record_id"])] = row_number
        records.append(record)
        rejects.extend(ignored)
        repaired += row_repaired

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
        header_row=header_row,
        values_repaired=repaired,
        ignored_columns=ignored_columns(header, header_map, mapping, _unnamed(header, rows)),
    )


def _unnamed(header: list[str], rows: list[tuple[int, list]]) -> frozenset[int]:
    """Positions of the columns without a header that hold a value in some row."""
    empty = [i for i, h in enumerate(header) if not h]
    return frozenset(
        i for i in empty if any(i < len(v) and _cell(v[i]) is not None for _, v in rows)
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
