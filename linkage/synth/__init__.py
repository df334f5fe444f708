"""Synthetic custody, field and truth files (every person invented): the yardstick for matching.

:func:`generate` builds a population (:mod:`~linkage.synth.people`) and renders each person as a
U.S. custody record (:mod:`~linkage.synth.custody`) and as field reports
(:mod:`~linkage.synth.field`), with identity numbers from :mod:`~linkage.synth.ids`, typing noise
from :mod:`~linkage.synth.noise`, and names and places from :mod:`~linkage.synth.tables`.
No core module imports this package.
"""

from linkage.synth.dataset import DIFFICULTIES, TRUTH_COLUMNS, Difficulty, SynthData, generate

__all__ = ["DIFFICULTIES", "TRUTH_COLUMNS", "Difficulty", "SynthData", "generate"]
