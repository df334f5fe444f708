"""Learn the shipped prior model (``data/models/prior_model.json``) from labelled synthetic sets.

    .venv/bin/python bench/train_prior.py [--out data/models/prior_model.json]

No EM: each level's m is its share among the TRUE pairs of a set (every true pair, blocked or
not, compared by the default comparisons), averaged over several mixes so that no one set decides
it: realistic and hard difficulty, field files with birth dates and with ages only
(:mod:`ages_only`), small and larger sizes. Each mix weighs the same; one pseudo-count per level
keeps every level possible. u (informative only: a job measures its own) is the share among
random pairs. A comparison no set fills on both sides (the generator writes no A-number in field
reports) is left out: a job learns it from its own data or it carries no evidence.
Deterministic: the same generator gives the same file, byte for byte, except the ``created`` date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
from ages_only import ages_only

from linkage import __version__
from linkage.comparisons import default_comparisons
from linkage.comparisons.base import MISSING
from linkage.comparisons.run import compare_all, term_frequencies
from linkage.pipeline import prepare, random_pairs
from linkage.settings import Settings
from linkage.synth import generate

VERSION = 1
#: (custody, field, seed, difficulty, ages only): the labelled sets the prior is learnt from
MIXES = [
    (n_custody, n_field, seed, difficulty, ages)
    for (n_custody, n_field, seed) in ((200, 1000, 101), (600, 3000, 102))
    for difficulty in ("realistic", "hard")
    for ages in (False, True)
]
RANDOM_PAIRS = 20_000
#: pseudo-count per level added to the pooled shares
PSEUDO = 1.0


def level_counts(
    n_custody: int, n_field: int, seed: int, difficulty: str, ages: bool
) -> tuple[list[np.ndarray], list[np.ndarray], int]:
    """Per comparison: level counts among the true pairs and among random pairs; true pairs."""
    data = generate(n_custody, n_field, seed=seed, difficulty=difficulty)
    field = ages_only(data.field.astype(str).replace("nan", "")) if ages else data.field
    settings = Settings(workers=1)
    _, custody = prepare(data.custody.astype(str).replace("nan", ""), "custody", settings)
    _, field_norm = prepare(field, "field", settings)
    comparisons = default_comparisons(settings)
    c_pos = pd.Series(np.arange(len(custody)), index=custody.index)
    f_pos = pd.Series(np.arange(len(field_norm)), index=field_norm.index)
    truth = data.truth.astype(str)
    # a record the reader rejects (no name at all, say) has no normalized row to compare
    truth = truth[truth["custody_id"].isin(c_pos.index) & truth["field_id"].isin(f_pos.index)]
    positions = np.stack(
        [c_pos[truth["custody_id"]].to_numpy(), f_pos[truth["field_id"]].to_numpy()], axis=1
    )
    tables = term_frequencies(comparisons, custody, field_norm)
    true_vectors, _ = compare_all(custody, field_norm, positions, comparisons, tables, workers=1)
    rand = random_pairs(len(custody), len(field_norm), RANDOM_PAIRS, seed)
    random_vectors, _ = compare_all(custody, field_norm, rand, comparisons, {}, workers=1)

    def counts(vectors: np.ndarray) -> list[np.ndarray]:
        return [
            np.bincount(v[v != MISSING].astype(np.int64), minlength=len(c.levels)).astype(float)
            for v, c in zip(vectors.T, comparisons, strict=True)
        ]

    return counts(true_vectors), counts(random_vectors), len(positions)


def train() -> dict:
    comparisons = default_comparisons(Settings())
    m_shares = [np.zeros(len(c.levels)) for c in comparisons]
    u_shares = [np.zeros(len(c.levels)) for c in comparisons]
    sets = []
    for mix in MIXES:
        m_counts, u_counts, n_true = level_counts(*mix)
        sets.append(
            {
                "custody": mix[0],
                "field": mix[1],
                "seed": mix[2],
                "difficulty": mix[3],
                "field_dates": "ages only" if mix[4] else "as generated",
                "true_pairs": n_true,
            }
        )
        for j in range(len(comparisons)):
            # each mix weighs the same; a comparison a mix never sees present adds nothing
            if m_counts[j].sum() > 0:
                m_shares[j] += m_counts[j] / m_counts[j].sum()
            if u_counts[j].sum() > 0:
                u_shares[j] += u_counts[j] / u_counts[j].sum()
        print(f"{mix}: {n_true} true pairs")
    out, absent = [], []
    for c, m, u in zip(comparisons, m_shares, u_shares, strict=True):
        if m.sum() == 0:  # never present on both sides of a true pair: no prior for it
            absent.append(c.name)
            continue
        m = m * 100 + PSEUDO  # shares in percent points of a mix, plus one pseudo-count
        u = u * 100 + PSEUDO / 100
        m, u = m / m.sum(), u / u.sum()
        out.append(
            {
                "name": c.name,
                "levels": [
                    {"name": lv.name, "m": round(float(m[k]), 6), "u": round(float(u[k]), 6)}
                    for k, lv in enumerate(c.levels)
                ],
            }
        )
    return {
        "model": "reencuentro prior",
        "version": VERSION,
        "created": dt.date.today().isoformat(),
        "method": (
            "m: each level's share among the true pairs of labelled synthetic sets (no EM), "
            "each set weighing the same, plus one pseudo-count per level (sets of about 100 "
            "pairs each); u: the same among random pairs, for reference only"
        ),
        "generator": {"module": "linkage.synth.generate", "package_version": __version__},
        "sets": sets,
        "not_in_prior": absent,
        "comparisons": out,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("data/models/prior_model.json"))
    args = parser.parse_args()
    model = train()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
