"""Write a job's files: matches.csv/.parquet, pairs.parquet, model.json, manifest.json, rejects.csv.

Every output is deterministic for the same inputs and settings except the ``timings`` block of
manifest.json. CSV cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from linkage import __version__
from linkage.io import ReadResult
from linkage.pipeline import LinkResult
from linkage.progress import Progress
from linkage.reasons import localized
from linkage.reports.safety import neutralise_frame


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 with BOM (Excel reads the accents), formula-safe, LF line ends."""
    neutralise_frame(frame).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


def write_pairs(
    pairs: pd.DataFrame, path: Path, chunk_rows: int, progress: Progress | None = None
) -> None:
    """``pairs`` as Parquet, ``chunk_rows`` rows at a time (each one row group) through one
    ``ParquetWriter``, so only one batch is ever held in Arrow form. With ``chunk_rows`` at
    pyarrow's row-group size the bytes equal ``pairs.to_parquet(path, index=False)``'s."""
    progress = progress or Progress(quiet=True)
    writer = None
    try:
        for start in progress.iterate(range(0, max(len(pairs), 1), chunk_rows), "write pairs"):
            batch = pairs.iloc[start : start + chunk_rows]
            schema = writer.schema if writer is not None else None
            table = pa.Table.from_pandas(batch, schema, preserve_index=False)
            # the first batch sets the column types, as pandas' whole-frame write would
            writer = writer or pq.ParquetWriter(path, table.schema, compression="snappy")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def manifest(result: LinkResult, inputs: dict[str, ReadResult | None]) -> dict[str, object]:
    """The run's record: inputs, reconciliation of rows, settings, model fit, timings."""
    top = result.matches[result.matches["rank"] == 1]
    files = {}
    for side, read in inputs.items():
        counts = result.counts[side]
        entry: dict[str, object] = {"rows": counts}
        if read is not None and read.path.exists():
            entry.update(
                path=str(read.path.resolve()),
                sha256=sha256(read.path),
                headers={k: v for k, v in sorted(read.header_map.items())},
                **read.reading(),
            )
        entry["reconciled"] = counts["rows_read"] == counts["rows_scored"] + counts["rows_rejected"]
        files[side] = entry
    return {
        "tool": "reencuentro",
        "version": __version__,
        "seed": result.settings.seed,
        "settings": result.settings.to_dict(),
        "reference_date": result.reference
        or {"date": result.settings.reference_date, "source": "settings"},
        "inputs": files,
        "matches": {
            "pairs_kept": len(result.matches),
            "pairs_scored": len(result.pairs),
            "custody_matched": result.counts["custody"]["rows_with_candidates"],
            "custody_unmatched": result.counts["custody"]["rows_without_candidates"],
            "matched_share": round(result.matched_share, 6),
            "custody_with_rank1_above_threshold": int(
                top.loc[
                    top["match_probability"] >= result.settings.threshold, "custody_id"
                ].nunique()
            ),
        },
        "blocking": result.blocking.to_dict(orient="records"),
        "em": result.model.em_.to_dict(),
        "prior_model": result.model.to_dict()["prior_model"],
        "model_evidence": result.model.evidence_,
        "prior_only": result.model.prior_only_,
        "timings": result.timings,
    }


def write_outputs(
    result: LinkResult,
    outdir: str | Path,
    inputs: dict[str, ReadResult | None] | None = None,
    model_source: str | Path | None = None,
    progress: Progress | None = None,
) -> dict[str, Path]:
    """Write the contract's files into ``outdir``; returns their paths by name.

    ``model_source``: the saved model.json the job scored with; the manifest's ``model`` block
    says whether the model was fitted on these inputs or read from there (path and sha256).
    ``progress``: shows pairs.parquet being written (:func:`write_pairs`).
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {
        "matches_csv": outdir / "matches.csv",
        "matches_parquet": outdir / "matches.parquet",
        "pairs": outdir / "pairs.parquet",
        "model": outdir / "model.json",
        "rejects": outdir / "rejects.csv",
        "manifest": outdir / "manifest.json",
    }
    write_csv(result.matches, paths["matches_csv"])
    result.matches.to_parquet(paths["matches_parquet"], index=False)
    write_pairs(result.pairs, paths["pairs"], result.settings.pair_chunk_rows, progress)
    result.model.save(paths["model"])
    write_csv(localized(result.rejects), paths["rejects"])
    data = manifest(result, inputs or {"custody": None, "field": None})
    data["model"] = {"fitted": model_source is None}
    if model_source is not None:
        source = Path(model_source)
        data["model"].update(path=str(source.resolve()), sha256=sha256(source))
    data["outputs"] = sorted(p.name for p in paths.values())
    paths["manifest"].write_text(
        json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return paths
