"""Reencuentro's linkage core. ``link`` runs a whole match job on two DataFrames."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linkage.pipeline import LinkResult, link

try:
    __version__ = version("reencuentro")
except PackageNotFoundError:  # a checkout that was never installed
    __version__ = "unknown"

__all__ = ["LinkResult", "link"]


def __getattr__(name: str) -> object:
    # imported on first use, so that ``import linkage.io`` stays light
    if name in __all__:
        from linkage import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
