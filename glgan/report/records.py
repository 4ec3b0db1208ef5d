"""Records from the results store, reshaped for reporting: long scores, per-cell summaries, provenance."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from glgan.experiment.store import ResultStore
from glgan.report.labels import METRICS

CELL = ["dataset", "classifier", "metric", "method", "ratio"]
PAPER_COLUMNS = ["dataset", "classifier", "metric", "method", "value"]


def load_records(store_root: str | os.PathLike) -> pd.DataFrame:
    """Every record under ``store_root`` (one row per run and classifier); empty frame if there are none."""
    return ResultStore(store_root).load()


def long_scores(records: pd.DataFrame) -> pd.DataFrame:
    """One row per (dataset, method, ratio, seed, classifier, metric) with the score in ``value``."""
    keys = ["dataset", "method", "ratio", "seed", "classifier"]
    if records.empty:
        return pd.DataFrame(columns=[*keys, "metric", "value"])
    frame = records.melt(id_vars=keys, value_vars=list(METRICS), var_name="metric", value_name="value")
    frame["value"] = frame["value"].astype(float)
    frame["ratio"] = frame["ratio"].astype(float)
    frame["seed"] = frame["seed"].astype(int)
    return frame.sort_values([*keys, "metric"], kind="stable").reset_index(drop=True)


def at_ratio(frame: pd.DataFrame, ratio: float) -> pd.DataFrame:
    """Rows of ``frame`` whose ``ratio`` equals ``ratio`` (float-tolerant)."""
    if frame.empty:
        return frame
    return frame[np.isclose(frame["ratio"].astype(float), ratio, rtol=0, atol=1e-12)]


def summarize(scores: pd.DataFrame) -> pd.DataFrame:
    """Mean, sample standard deviation (ddof = 1; NaN for one seed) and seed count per cell."""
    if scores.empty:
        return pd.DataFrame(columns=[*CELL, "mean", "std", "n_seeds"])
    grouped = scores.groupby(CELL, sort=True)["value"]
    out = grouped.agg(mean="mean", std=lambda v: v.std(ddof=1), n_seeds="count").reset_index()
    return out


def provenance(records: pd.DataFrame) -> dict:
    """What a table's header says about its records: data, seeds, experiment, commits, dates."""
    if records.empty:
        return {}

    def unique(column):
        if column not in records:
            return []
        return sorted({str(v) for v in records[column].dropna()})

    seeds_per_method = records.groupby("method")["seed"].nunique().to_dict()
    return {
        "data_variant": unique("data_variant"),
        "data_source": unique("data_source"),
        "experiment": unique("experiment"),
        "git_commit": unique("git_commit"),
        "config_hash": unique("config_hash"),
        "seeds": sorted({int(s) for s in records["seed"]}),
        "seeds_per_method": {k: int(v) for k, v in sorted(seeds_per_method.items())},
        "first_finished": min(unique("finished_at"), default=None),
        "last_finished": max(unique("finished_at"), default=None),
        "ratios": sorted({float(r) for r in records["ratio"]}),
    }


def load_paper(path: str | os.PathLike) -> pd.DataFrame:
    """The paper's Tables 2-6 (``dataset, classifier, metric, method, value``; an empty cell is NaN)."""
    frame = pd.read_csv(Path(path), dtype={"value": float})
    missing = set(PAPER_COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(f"{path}: columns {sorted(missing)} missing; expected {PAPER_COLUMNS}.")
    return frame[PAPER_COLUMNS]
