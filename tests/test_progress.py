"""Progress bars go to standard error, and only on a terminal (issue 13, item 8)."""

from __future__ import annotations

import io

from linkage.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_when_standard_error_is_redirected(monkeypatch, capsys):
    redirected = io.StringIO()
    monkeypatch.setattr("sys.stderr", redirected)
    assert list(Progress().iterate(range(3), "compare", total=3)) == [0, 1, 2]
    assert redirected.getvalue() == ""
    assert capsys.readouterr().out == ""


def test_a_bar_on_a_terminal_unless_quiet(monkeypatch, capsys):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert list(Progress().iterate(range(3), "compare", total=3)) == [0, 1, 2]
    assert "compare:   0%" in terminal.getvalue() and "\r" in terminal.getvalue()
    quiet = Terminal()
    monkeypatch.setattr("sys.stderr", quiet)
    list(Progress(quiet=True).iterate(range(3), "compare", total=3))
    assert quiet.getvalue() == ""
    assert capsys.readouterr().out == ""
