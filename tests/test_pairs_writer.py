"""pairs.parquet is written in batches of ``pair_chunk_rows`` (issue 12, item 3): the same bytes
as one whole-frame write at the default, one row group per batch, never more than one batch in
Arrow form at a time, and a progress bar on a terminal."""

from __future__ import annotations

import io
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from linkage.outputs import write_pairs
from linkage.progress import Progress
from linkage.settings import Settings


def _pairs(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "custody_id": [f"C{i % 97:06d}" for i in range(n)],
            "field_id": [f"F{i:07d}" for i in range(n)],
            "match_weight": rng.normal(size=n),
            "match_probability": rng.random(n),
        }
    )


@pytest.mark.parametrize("n", [0, 1, 1000])
def test_the_default_batch_writes_the_bytes_of_a_whole_frame_write(tmp_path, n):
    pairs = _pairs(n)
    pairs.to_parquet(tmp_path / "whole.parquet", index=False)
    write_pairs(pairs, tmp_path / "batches.parquet", Settings().pair_chunk_rows)
    assert (tmp_path / "batches.parquet").read_bytes() == (tmp_path / "whole.parquet").read_bytes()


def test_each_batch_is_one_row_group_as_pandas_writes_them(tmp_path):
    pairs = _pairs(1000)
    pairs.to_parquet(tmp_path / "whole.parquet", index=False, row_group_size=300)
    write_pairs(pairs, tmp_path / "batches.parquet", 300)
    assert pq.ParquetFile(tmp_path / "batches.parquet").metadata.num_row_groups == 4
    assert (tmp_path / "batches.parquet").read_bytes() == (tmp_path / "whole.parquet").read_bytes()
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "batches.parquet"), pairs)


def test_no_more_than_one_batch_is_converted_at_once(tmp_path, monkeypatch):
    converted = []
    from_pandas = pa.Table.from_pandas

    def spy(frame, *args, **kwargs):
        converted.append(len(frame))
        return from_pandas(frame, *args, **kwargs)

    monkeypatch.setattr(
        "linkage.outputs.pa", SimpleNamespace(Table=SimpleNamespace(from_pandas=spy))
    )
    write_pairs(_pairs(1000), tmp_path / "pairs.parquet", 300)
    assert converted == [300, 300, 300, 100]


def test_a_bar_on_a_terminal(tmp_path, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    write_pairs(_pairs(1000), tmp_path / "pairs.parquet", 300, Progress())
    # the bar counts the batches, with the time left ('<') once it has a rate
    assert "write pairs:   0%|          | 0/4 [00:00<?" in terminal.getvalue()


def test_the_batch_size_is_a_setting():
    assert Settings(pair_chunk_rows=5000).pair_chunk_rows == 5000
    with pytest.raises(ValueError, match="pair_chunk_rows = 0: must be at least 1"):
        Settings(pair_chunk_rows=0)
