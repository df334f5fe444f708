"""The Jinja environment of the report templates (``linkage/reports/templates/*.html.j2``).

Numbers follow Central American usage, the same as English: "12,345", "97%".
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader
from markupsafe import Markup


def percent(value: float) -> str:
    """A probability as a whole percentage.

    >>> percent(0.9731), percent(0.004), percent(0.0), percent(0.9999)
    ('97%', '<1%', '0%', '>99%')
    """
    if 0 < value < 0.005:
        return "<1%"
    if 0.995 <= value < 1:
        return ">99%"
    return f"{round(100 * value)}%"


def number(value: object) -> str:
    """A count with thousands grouped; other values as text.

    >>> number(12345), number(0.12345), number("")
    ('12,345', '0.123', '')
    """
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.3f}"


def css_string(value: object) -> Markup:
    r"""Text as a quoted CSS string, safe inside a ``<style>`` element.

    >>> print(css_string('Use "it" </style>'))
    "Use \22 it\22  \3c /style\3e "
    """
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;!?()-—«»'/%" else f"\\{ord(ch):x} " for ch in str(value)
    )
    return Markup(f'"{escaped}"')


def environment() -> Environment:
    """Templates autoescaped, with the ``percent``, ``number`` and ``css_string`` filters."""
    env = Environment(
        loader=PackageLoader("linkage.reports", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["percent"] = percent
    env.filters["number"] = number
    env.filters["css_string"] = css_string
    return env
