"""Visit results read back from lead workbooks a field team filled in (Excel or LibreOffice).

The "Resultado de la visita" column ("Result of the visit") of each lead row becomes a decision on
its pair, found by the hidden ``custody_id`` and ``field_id`` columns:

- found ("encontrado/a", "sí es", "es la persona", "found") -> ``match``;
- not the person ("no es la persona", "no es él/ella", "not the person") -> ``non-match``;
- anything else ("ya no vive ahí", "nadie lo conoce") -> ``unsure``, kept as a note.

A cell that says both ("encontrado, no es la persona"), a result on a row with no candidate, a
row whose ids are gone, or one pair given different results in two sheets, stops the read with a
message naming the file, sheet, row and cell. The decisions carry their source (file, sheet, row,
cell) into the audit log; ``cli.py visits`` writes them as a decisions file ``--labels`` reads.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from linkage.decisions import COLUMNS, DecisionsError
from normalizers.text import fold

RESULT_HEADERS = ("resultado de la visita", "result of the visit")
#: who the decisions are from, in the decisions file
REVIEWER = "visita de campo"
_FOUND = re.compile(
    r"^(?:si|yes)\b|\b(?:encontrad[oa]s?|encontrado/a|found|si es|es la persona|es el|es ella"
    r"|confirmad[oa])\b"
)
_NOT_FOUND = re.compile(r"\bno (?:lo |la |le )?(?:encontr\w*|hall\w*)|\bnot found\b")
_NOT_PERSON = re.compile(
    r"\bno es (?:la persona|el|ella|esa persona|quien buscamos)\b|^no es\b|\bnot the person\b"
    r"|\botra persona\b|\bpersona equivocada\b|\bwrong person\b"
)


def classify(text: str) -> str | None:
    """The decision a visit's result states: match, non-match, unsure; None if it says both.

    >>> [classify(t) for t in ("Encontrada 3/5", "No es él", "ya no vive ahí", "no lo encontramos")]
    ['match', 'non-match', 'unsure', 'unsure']
    """
    folded = " ".join(re.sub(r"[^\w/ ]", " ", fold(text)).split())
    not_person = bool(_NOT_PERSON.search(folded))
    found = bool(_FOUND.search(_NOT_FOUND.sub(" ", _NOT_PERSON.sub(" ", folded))))
    if found and not_person:
        return None
    if not_person:
        return "non-match"
    return "match" if found else "unsure"


def _visit_date(text: str) -> pd.Timestamp | None:
    """The day a result names ("encontrado 12/03/2024", day first), as a UTC time."""
    found = re.search(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b", text)
    if not found:
        return None
    day, month, year = (int(g) for g in found.groups())
    try:
        return pd.Timestamp(year=year, month=month, day=day, tz="UTC")
    except ValueError:
        return None


def is_lead_workbook(path: str | Path) -> bool:
    """Whether ``path`` is a lead workbook (its first sheet has a visit-result column)."""
    path = Path(path)
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return False
    ws = load_workbook(path, read_only=True).worksheets[0]
    first = next(ws.iter_rows(max_row=1, values_only=True), ())
    return any(_header_key(str(v or "")) in RESULT_HEADERS for v in first)


def _header_key(text: str) -> str:
    return " ".join(fold(text).split())


def read_visits(paths: list[str | Path]) -> pd.DataFrame:
    """Decisions from the filled-in lead workbooks ``paths``: the columns of
    :data:`linkage.decisions.COLUMNS`, plus ``source`` (file, sheet, row, cell) and ``row``.

    Rows with an empty result are skipped. Raises :class:`DecisionsError` listing every bad or
    ambiguous entry.
    """
    records, problems = [], []
    for path in map(Path, paths):
        book = load_workbook(path, read_only=True)
        ws = book.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = [str(v or "").strip().lower() for v in next(rows, ())]
        column = {name: i for i, name in enumerate(header)}
        result_col = next(
            (i for i, name in enumerate(header) if _header_key(name) in RESULT_HEADERS), None
        )
        missing = [c for c in ("custody_id", "field_id") if c not in column]
        if result_col is None or missing:
            wanted = "'Resultado de la visita'" if result_col is None else ", ".join(missing)
            problems.append(f"{path.name}, sheet {ws.title}: no column {wanted}")
            continue
        letter = get_column_letter(result_col + 1)
        for number, row in enumerate(rows, start=2):
            text = str(row[result_col] or "").strip() if result_col < len(row) else ""
            if not text:
                continue
            where = f"{path.name}, sheet {ws.title}, row {number}, cell {letter}{number}"
            custody_id = str(row[column["custody_id"]] or "").strip()
            field_id = str(row[column["field_id"]] or "").strip()
            decision = classify(text)
            if not custody_id or not field_id:
                problems.append(f"{where}: {text!r} is on a row with no candidate")
            elif decision is None:
                problems.append(f"{where}: {text!r} says both found and not the person; write one")
            else:
                stamp = _visit_date(text)
                records.append(
                    {
                        "custody_id": custody_id,
                        "field_id": field_id,
                        "decision": decision,
                        "reviewer": REVIEWER,
                        "time": stamp if stamp is not None else pd.NaT,
                        "note": text,
                        "source": where,
                        "row": number,
                    }
                )
    visits = pd.DataFrame(records, columns=[*COLUMNS, "source", "row"])
    for (custody_id, field_id), group in visits.groupby(["custody_id", "field_id"], sort=True):
        if group["decision"].nunique() > 1:
            pairs = zip(group["source"], group["note"], strict=True)
            places = "; ".join(f"{source}: {note!r}" for source, note in pairs)
            problems.append(f"{custody_id}/{field_id} has different results: {places}")
    if problems:
        raise DecisionsError(problems)
    visits["time"] = pd.to_datetime(visits["time"], utc=True)
    return visits.reset_index(drop=True)


def write_visit_decisions(visits: pd.DataFrame, path: str | Path) -> Path:
    """The visits as a decisions CSV (``--labels`` reads it), with their ``source``."""
    from linkage.reports.safety import neutralise_frame

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = visits[[*COLUMNS, "source"]].copy()
    out["time"] = [t.isoformat() if pd.notna(t) else "" for t in out["time"]]
    neutralise_frame(out).to_csv(path, index=False, encoding="utf-8")
    return path
