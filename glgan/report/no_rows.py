"""Samplers that generated no rows: the runs whose sampler added no synthetic row (``n_synthetic == 0``).

Such a run trains its classifiers on the input split (NRAS may still drop rows it flags as noise), so a
table cell built from it is, on that seed, Imbalanced under another name. Every paper table cell and claim
built from such runs says so.
"""

from __future__ import annotations

import pandas as pd

from glgan.report.labels import PAPER_RATIO, label
from glgan.report.records import at_ratio

RUN = ["dataset", "method", "ratio", "seed"]
NO_ROWS_COLUMNS = ["dataset", "method", "ratio", "n_no_rows", "n_seeds", "seeds_no_rows"]


def no_rows_runs(records: pd.DataFrame) -> pd.DataFrame:
    """Per (dataset, method, ratio): seeds run, seeds whose sampler generated no row, and which seeds.

    Methods that never generate rows by design (Imbalanced) are left out; a record without
    ``n_synthetic`` is treated as unknown, not as zero.
    """
    if records.empty or "n_synthetic" not in records:
        return pd.DataFrame(columns=NO_ROWS_COLUMNS)
    runs = records.drop_duplicates(RUN)[[*RUN, "n_synthetic"]]
    runs = runs[runs["method"] != "imbalanced"]
    rows = []
    for (dataset, method, ratio), group in runs.groupby(RUN[:3], sort=True):
        idle = sorted(int(s) for s in group.loc[group["n_synthetic"] == 0, "seed"])
        rows.append({"dataset": dataset, "method": method, "ratio": float(ratio), "n_no_rows": len(idle),
                     "n_seeds": int(group["seed"].nunique()), "seeds_no_rows": idle})
    return pd.DataFrame(rows, columns=NO_ROWS_COLUMNS)


def no_rows_at(no_rows: pd.DataFrame, dataset: str, method: str, ratio: float = PAPER_RATIO) -> tuple[int, int]:
    """``(seeds with no rows, seeds)`` of one cell; ``(0, 0)`` when the cell has no runs."""
    if no_rows.empty:
        return 0, 0
    match = at_ratio(no_rows[(no_rows["dataset"] == dataset) & (no_rows["method"] == method)], ratio)
    if match.empty:
        return 0, 0
    row = match.iloc[0]
    return int(row["n_no_rows"]), int(row["n_seeds"])


def no_rows_note(n_no_rows: int, n_seeds: int) -> str:
    """The mark a cell carries, e.g. ``no rows on 7/10 seeds``; empty when the sampler always generated."""
    return f"no rows on {n_no_rows}/{n_seeds} seeds" if n_no_rows else ""


def no_rows_lines(no_rows: pd.DataFrame, dataset: str, ratio: float = PAPER_RATIO) -> list[str]:
    """One sentence per sampler of ``dataset`` that generated no rows on some seeds (for a table header)."""
    if no_rows.empty:
        return []
    part = at_ratio(no_rows[(no_rows["dataset"] == dataset) & (no_rows["n_no_rows"] > 0)], ratio)
    lines = []
    for r in part.itertuples():
        seeds = ", ".join(map(str, r.seeds_no_rows))
        lines.append(f"**{label(r.method)} generated no rows on {r.n_no_rows} of {r.n_seeds} seeds** ({seeds}): "
                     "on those seeds its classifiers saw no synthetic row, as Imbalanced's do; its cells say so.")
    return lines
