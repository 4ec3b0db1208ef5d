"""Compare methods between two KEEL benchmark stores of the same list: mean MCC over the (set, classifier)
cells both hold, the sample-quality targets against SMOTE, and the sampler seconds.

    python scripts/benchmark.py --experiment benchmark-dev --methods glgan --results-dir /tmp/new --no-report
    python scripts/compare_methods.py results/runs/benchmark-dev /tmp/new/benchmark-dev --methods glgan

SMOTE's records (the quality targets' reference) are read from the first store. Used for the dev-list
decisions of docs/REPRODUCTION.md §6 and §13; it never reads the eval list unless given it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from glgan.keel_benchmark.quality import quality_means, target_check  # noqa: E402
from glgan.report.records import load_records  # noqa: E402

PAPER_CLASSIFIERS = ("mlp", "linear_svc", "adaboost")


def compare(old: pd.DataFrame, new: pd.DataFrame, method: str, classifiers=PAPER_CLASSIFIERS) -> dict:
    """Mean MCC of ``method`` over the cells both frames hold, quality targets held, sampler seconds."""
    cells = []
    for frame in (old, new):
        rows = frame[(frame.method == method) & frame.classifier.isin(classifiers)]
        cells.append(rows.groupby(["dataset", "classifier"])["mcc"].mean())
    common = cells[0].index.intersection(cells[1].index)
    out = {"method": method, "cells": len(common),
           "mcc_old": cells[0][common].mean(), "mcc_new": cells[1][common].mean()}
    smote = old[old.method == "smote"]
    for tag, frame in (("old", old), ("new", new)):
        rows = frame[frame.method == method]
        folds = rows.drop_duplicates(["dataset", "repeat", "fold"])
        out[f"sampler_seconds_{tag}"] = folds["sampler_seconds"].sum()
        check = target_check(quality_means(pd.concat([rows, smote])), method)
        out[f"quality_{tag}"] = f"{int(check['all'].sum())} of {len(check)}" if len(check) else "n/a"
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--methods", default="glgan", help="comma-separated methods (default: glgan)")
    parser.add_argument("--classifiers", default=",".join(PAPER_CLASSIFIERS))
    args = parser.parse_args(argv)
    old, new = load_records(args.old), load_records(args.new)
    for method in args.methods.split(","):
        r = compare(old, new, method, args.classifiers.split(","))
        print(f"{method}: mean MCC over {r['cells']} cells {r['mcc_old']:.4f} -> {r['mcc_new']:.4f} "
              f"({r['mcc_new'] - r['mcc_old']:+.4f}); quality targets {r['quality_old']} -> {r['quality_new']}; "
              f"sampler seconds {r['sampler_seconds_old']:.0f} -> {r['sampler_seconds_new']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
