"""Turn a text file's bytes into text line by line, as the bytes of each line say.

Files reach the job through many hands: a UTF-8 export with a few rows pasted in from a
Windows-1252 file, a UTF-8 byte-order mark in front of a Latin-1 body, Excel's "Unicode text"
(UTF-16 with a byte-order mark). A UTF-16 file is decoded whole. Otherwise each line that is valid
UTF-8 is UTF-8 (a Windows-1252 line is almost never valid UTF-8: its accented letters are single
bytes of 0x80 or above, which UTF-8 only allows after a lead byte), and every other line is
Windows-1252 (of which Latin-1's letters are a subset). A line holding a byte that Windows-1252
leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) is neither: it is marked, and its row rejected.

Whole-file guessing (charset-normalizer) is not used: on short Spanish name lists it reads
Windows-1252 as Central European cp1250 ("Castañeda" becomes "Castańeda"), and it cannot
decode a file whose lines differ.

:func:`repair_mojibake` undoes UTF-8 that was read once as Windows-1252 ("MuÃ±oz") where the
bytes prove it; :func:`garbled_reason` tells text that no decoding can save.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: byte-order marks, longest first: (mark, Python codec, name reported)
BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)
#: bytes Windows-1252 leaves undefined
_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
#: the replacement character and the C1 controls: what a failed decoding leaves behind
_GARBLED = re.compile("[\ufffd\u0080-\u009f]")
#: runs of non-ASCII characters, where mojibake lives
_NON_ASCII = re.compile(r"[^\x00-\x7f]{2,}")


@dataclass
class Decoded:
    """A file's text and how each line was decoded.

    ``encoding``: the encoding of most lines with non-ASCII bytes ("utf-8", "utf-8-sig" when a
    UTF-8 byte-order mark starts the file, "utf-16" or "cp1252"); ``bom``: the byte-order mark
    found, if any; ``redecoded``: numbers (1-based) of the lines decoded otherwise, as
    ``redecoded_as``; ``undecodable``: lines that are neither UTF-8 nor Windows-1252 (their text
    is Latin-1, so each bad byte shows as a C1 control character).
    """

    text: str
    encoding: str
    bom: str | None = None
    redecoded: set[int] = field(default_factory=set)
    redecoded_as: str | None = None
    undecodable: set[int] = field(default_factory=set)


class DecodeError(ValueError):
    """A UTF-16 file whose bytes are not UTF-16."""


def decode_lines(raw: bytes) -> Decoded:
    """Decode ``raw`` (a whole text file), each line as its bytes allow.

    >>> d = decode_lines("id,nombre\\n1,Peña\\n".encode() + "2,Muñoz\\n".encode("cp1252"))
    >>> d.text, d.encoding, d.redecoded, d.redecoded_as
    ('id,nombre\\n1,Peña\\n2,Muñoz\\n', 'utf-8', {3}, 'cp1252')
    """
    for mark, codec, name in BOMS:
        if raw.startswith(mark) and codec.startswith("utf-16"):
            body = raw[len(mark) :]
            try:
                return Decoded(body.decode(codec), name, bom=name)
            except UnicodeDecodeError as exc:
                line = body[: exc.start].decode(codec, errors="replace").count("\n") + 1
                raise DecodeError(
                    f"the file starts with a UTF-16 byte-order mark but line {line} is not "
                    "UTF-16: save it again as UTF-8 CSV"
                ) from None
    bom = "utf-8-sig" if raw.startswith(BOMS[0][0]) else None
    body = raw[3:] if bom else raw
    try:
        return Decoded(body.decode("utf-8"), bom or "utf-8", bom=bom)
    except UnicodeDecodeError:
        return _decoded_by_line(body, bom)


def _decoded_by_line(body: bytes, bom: str | None) -> Decoded:
    """A body that is not UTF-8 throughout, each line decoded as its bytes say: UTF-8 where
    valid, else Windows-1252; a line with a byte neither defines is marked undecodable."""
    lines = body.split(b"\n")
    kinds: list[str] = []
    texts: list[str] = []
    for line in lines:
        try:
            texts.append(line.decode("utf-8"))
            kinds.append("utf-8" if not line.isascii() else "ascii")
        except UnicodeDecodeError:
            if _UNDEFINED.search(line):
                texts.append(line.decode("latin-1"))
                kinds.append("undecodable")
            else:
                texts.append(line.decode("cp1252"))
                kinds.append("cp1252")
    n_utf8, n_legacy = kinds.count("utf-8"), kinds.count("cp1252")
    main, other = ("cp1252", "utf-8") if n_legacy > n_utf8 else ("utf-8", "cp1252")
    redecoded = {i for i, k in enumerate(kinds, start=1) if k == other}
    return Decoded(
        text="\n".join(texts),
        encoding=bom if bom and main == "utf-8" else main,
        bom=bom,
        redecoded=redecoded,
        redecoded_as=other if redecoded else None,
        undecodable={i for i, k in enumerate(kinds, start=1) if k == "undecodable"},
    )


def _single_bytes(text: str) -> bytes | None:
    """``text`` as Windows-1252 bytes (C1 controls as their Latin-1 byte), or None."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                return None
            out.append(ord(ch))
    return bytes(out)


def _repair_run(match: re.Match[str]) -> str:
    run = match.group(0)
    raw = _single_bytes(run)
    if raw is None:
        return run
    try:
        fixed = raw.decode("utf-8")
    except UnicodeDecodeError:
        return run
    # letters of Latin scripts only: a run that decodes to CJK was not mojibake
    return fixed if all(ord(c) < 0x250 or 0x2010 <= ord(c) <= 0x2122 for c in fixed) else run


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Windows-1252 or Latin-1, run by run of non-ASCII characters, where
    the run's bytes are valid UTF-8 again; anything else is returned unchanged.

    >>> repair_mojibake("CASTAÃ‘EDA MuÃ±oz"), repair_mojibake("José Peña")
    ('CASTAÑEDA Muñoz', 'José Peña')
    >>> repair_mojibake("SÃO PAULO")
    'SÃO PAULO'
    """
    return _NON_ASCII.sub(_repair_run, text) if not text.isascii() else text


def garbled_reason(text: str) -> str | None:
    r"""Why ``text`` cannot be trusted, when it holds what a failed decoding leaves: U+FFFD (a
    character lost before the file got here) or a C1 control (a byte neither UTF-8 nor
    Windows-1252); else None.

    >>> print(garbled_reason("CASTA\x81EDA"))
    'CASTA\x81EDA' holds byte 0x81, which is neither UTF-8 nor Windows-1252
    >>> garbled_reason("Castañeda") is None
    True
    """
    bad = _GARBLED.search(text)
    if bad is None:
        return None
    shown = repr(text if len(text) <= 40 else text[:37] + "...")
    if bad.group(0) == "\ufffd":
        return f"{shown} holds U+FFFD, a character lost before the file got here"
    return f"{shown} holds byte 0x{ord(bad.group(0)):02X}, which is neither UTF-8 nor Windows-1252"
