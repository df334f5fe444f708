"""Read an HTML page the way a person sees it: table rows as lists of cell texts."""

from __future__ import annotations

from html.parser import HTMLParser


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.headings: list[str] = []
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("h1", "h2"):
            self._heading = []
        elif tag == "div" and self._cell is not None:
            self._cell.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()).strip(" |"))
            self._cell = None
        elif tag in ("h1", "h2") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading.append(data)


def table_rows(page: str) -> list[list[str]]:
    """Every table row of ``page``, each a list of its cells' visible text."""
    parser = _Rows()
    parser.feed(page)
    return parser.rows


def headings(page: str) -> list[str]:
    parser = _Rows()
    parser.feed(page)
    return parser.headings


def assert_self_contained(page: str) -> None:
    """The page loads nothing: no script, stylesheet, image, font or frame from anywhere.

    Its only links are ``tel:`` links (tap to call).
    """
    lowered = page.lower().replace('href="tel:', "")
    for needle in ("<script", "<link", "<img", "<iframe", "<object", "src=", "href=", "url("):
        assert needle not in lowered, needle
    assert "@import" not in lowered


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._hidden += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    """The text a reader sees on ``page``, whitespace collapsed (styles left out)."""
    parser = _Text()
    parser.feed(page)
    return " ".join("".join(parser.parts).split())
