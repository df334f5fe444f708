"""One very common name repeated in thousands of reports is refused before any pair is made,
naming the key (issue 13, item 1). bench/one_common_name.py runs the full-size case."""

from __future__ import annotations

import pandas as pd
import pytest

import cli
from bench.one_common_name import write_inputs
from linkage.blocking import DEFAULT_RULES, BlockingError, block


def test_a_key_that_alone_makes_too_many_pairs_is_refused_by_name(tmp_path, capsys):
    custody, field = write_inputs(tmp_path / "in", 20, 2000)
    config = tmp_path / "settings.toml"
    config.write_text("[blocking]\nmax_pairs_per_key = 10000\n")
    out = tmp_path / "out"
    argv = ["match", "--custody", str(custody), "--field", str(field), "--out", str(out)]
    code = cli.main([*argv, "--config", str(config), "--quiet"])
    assert code == 3
    assert capsys.readouterr().err == (
        "error: blocking rule 'surname_given' (same-sounding paternal surname and first given "
        "name): the key 'lupes + juse' alone would make 40,000 pairs (20 custody records x 2,000 "
        "field reports), over max_pairs_per_key = 10,000: remove the reports that repeat one "
        "another, or drop the rule in the config file ([blocking] rules), or raise "
        "max_pairs_per_key\n"
    )
    assert not out.exists()


def test_keys_under_the_limit_and_backup_rules_pass():
    custody = pd.DataFrame({"paternal_key": ["lupes"] * 3, "given1_key": ["juse"] * 3})
    field = pd.DataFrame({"paternal_key": ["lupes"] * 4, "given1_key": ["juse"] * 4})
    rule = DEFAULT_RULES[0]
    pairs, _, table = block(custody, field, (rule,), max_pairs_per_key=12)
    assert len(pairs) == 12 and table["pairs"].tolist() == [12]
    with pytest.raises(BlockingError, match=r"the key 'lupes \+ juse' alone would make 12 pairs"):
        block(custody, field, (rule,), max_pairs_per_key=11)
    # a backup rule skips its stop keys instead of refusing
    backup = next(r for r in DEFAULT_RULES if r.name == "name_word_pair")
    custody["name_pairs"] = field["name_pairs"] = "juse lupes"
    _, _, table = block(custody, field, (backup,), max_pairs_per_key=1)
    assert table[["pairs", "skipped_stop_keys"]].values.tolist() == [[12, 0]]
