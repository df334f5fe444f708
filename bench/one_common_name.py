"""Issue 13 item 1: one very common name, 100,000 identical field reports and 20 custody rows.

Writes the two files and runs the match job on them; the job must finish or refuse, naming the
key that exploded, within two minutes and bounded memory. Run by hand:

    .venv/bin/python bench/one_common_name.py --out /tmp/common_name [--field 100000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import cli

ROW = "José Luis López García,M,12/03/1985,Guatemala,Huehuetenango,Chiantla"


def write_inputs(folder: Path, n_custody: int, n_field: int) -> tuple[Path, Path]:
    """Custody and field files of one invented person, repeated."""
    folder.mkdir(parents=True, exist_ok=True)
    header = "record_id,full_name,sex,birth_date,country,department,municipality\n"
    custody, field = folder / "custody.csv", folder / "field.csv"
    custody.write_text(header + "".join(f"C{i:06d},{ROW}\n" for i in range(n_custody)))
    field.write_text(header + "".join(f"F{i:07d},{ROW}\n" for i in range(n_field)))
    return custody, field


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--custody", type=int, default=20)
    parser.add_argument("--field", type=int, default=100_000)
    args = parser.parse_args()
    custody, field = write_inputs(args.out / "in", args.custody, args.field)
    start = time.perf_counter()
    code = cli.main(
        ["match", "--custody", str(custody), "--field", str(field), "--out", str(args.out / "job")]
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"exit {code} after {time.perf_counter() - start:.1f} s; peak RSS {peak:.0f} MB "
        f"(largest worker {children:.0f} MB)",
        file=sys.stderr,
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
