"""Save openpyxl workbooks byte for byte the same for the same content.

openpyxl stamps the save time into the workbook's properties and every zip entry; a job run twice
on the same inputs must give the same files, so both stamps are set to one fixed moment.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

#: the moment every saved workbook claims (zip times cannot precede 1980)
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def save_workbook(book: Workbook, path: str | Path) -> Path:
    """Write ``book`` to ``path`` with fixed timestamps; returns the path."""
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = _STAMP.sub(rb"\g<1>1980-01-01T00:00:00Z\g<2>", data)
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            dst.writestr(info, data)
    path = Path(path)
    path.write_bytes(out.getvalue())
    return path
