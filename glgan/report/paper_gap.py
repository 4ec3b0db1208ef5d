"""How far the baselines land from the paper (issue 15): cells within a tolerance, and each miss with its reason.

A baseline cell is one of the paper's seven methods other than GL-GAN, at one classifier and one metric,
r = 0.01. The target counts only the datasets held completely (a partial dataset is shown, not counted).
Every miss is listed with Δ = ours − paper, with Δ in standard errors of a difference of two 10-seed means,
``Δ / (std · √(2 / n))``, which assumes the paper's spread over seeds equals ours (the paper gives none),
and with the first matching one-line reason of ``results/paper/gap_reasons.yaml`` (hand-written, read here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from glgan.report.labels import (
    CLASSIFIERS,
    DATASET_LABELS,
    METRICS,
    PAPER_RATIO,
    REFERENCE_METHOD,
    TABLE_METHODS,
    label,
)
from glgan.report.tables import table_frame

TOLERANCE = 0.05
TARGET_SHARE = 0.85
BASELINES = tuple(m for m in TABLE_METHODS if m != REFERENCE_METHOD)
REASONS_YAML = Path(__file__).resolve().parents[2] / "results" / "paper" / "gap_reasons.yaml"
_ALLOWED = {"methods": BASELINES, "classifiers": CLASSIFIERS, "metrics": METRICS}


@dataclass(frozen=True)
class GapReason:
    """One hand-written reason for the misses of ``dataset`` in the named methods, classifiers and metrics."""

    dataset: str
    reason: str
    methods: tuple[str, ...] = BASELINES
    classifiers: tuple[str, ...] = CLASSIFIERS
    metrics: tuple[str, ...] = METRICS

    def matches(self, dataset: str, method: str, classifier: str, metric: str) -> bool:
        return (dataset == self.dataset and method in self.methods and classifier in self.classifiers
                and metric in self.metrics)


def load_reasons(path: str | Path = REASONS_YAML) -> list[GapReason]:
    """The reasons file: a list of mappings with ``dataset``, ``reason`` and optional name lists.

    An omitted ``methods``/``classifiers``/``metrics`` means all of them. Unknown keys or names raise, so a
    misspelt entry never silently explains nothing.
    """
    entries = yaml.safe_load(Path(path).read_text()) or []
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a list of reasons, got {type(entries).__name__}.")
    reasons = []
    for i, entry in enumerate(entries):
        where = f"{path}, entry {i}"
        if not isinstance(entry, dict) or not {"dataset", "reason"} <= set(entry):
            raise ValueError(f"{where}: each reason needs 'dataset' and 'reason'; got {entry!r}.")
        unknown = set(entry) - {"dataset", "reason", *_ALLOWED}
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: dataset, reason, "
                             f"{', '.join(_ALLOWED)}.")
        lists = {}
        for key, allowed in _ALLOWED.items():
            names = entry.get(key, list(allowed))
            names = [names] if isinstance(names, str) else list(names)
            bad = sorted(set(names) - set(allowed))
            if bad:
                raise ValueError(f"{where}: unknown {key} {bad}; choose from {list(allowed)}.")
            lists[key] = tuple(names)
        if entry["dataset"] not in DATASET_LABELS:
            raise ValueError(f"{where}: unknown dataset {entry['dataset']!r}; choose from {list(DATASET_LABELS)}.")
        reasons.append(GapReason(dataset=entry["dataset"], reason=" ".join(str(entry["reason"]).split()), **lists))
    return reasons


def baseline_gaps(summary: pd.DataFrame, paper: pd.DataFrame, datasets, reasons: list[GapReason],
                  tolerance: float = TOLERANCE) -> pd.DataFrame:
    """One row per baseline cell with records and a paper value: Δ, Δ in standard errors, within, reason."""
    frames = [table_frame(summary, paper, d, BASELINES) for d in datasets]
    gaps = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if gaps.empty:
        return gaps.assign(diff_se=[], within=[], reason=[])
    gaps = gaps[(gaps["n_seeds"] > 0) & gaps["paper"].notna()].drop(columns=["best", "paper_best"])
    se = gaps["std"] * np.sqrt(2.0 / gaps["n_seeds"])
    gaps["diff_se"] = np.where(se > 0, gaps["diff"] / se.where(se > 0, 1.0), np.nan)
    gaps["within"] = gaps["diff"].abs() <= tolerance + 1e-12
    gaps["reason"] = [
        "" if within else next((r.reason for r in reasons if r.matches(d, m, c, k)), "")
        for d, m, c, k, within in zip(gaps["dataset"], gaps["method"], gaps["classifier"], gaps["metric"],
                                      gaps["within"])]
    return gaps.reset_index(drop=True)


def _share(k: int, n: int) -> str:
    return f"{k} of {n} ({100 * k / n:.0f} %)" if n else "—"


def target_line(gaps: pd.DataFrame, complete: dict[str, bool], tolerance: float = TOLERANCE) -> str:
    """The issue-15 target on the complete datasets, in one sentence."""
    counted = gaps[gaps["dataset"].map(lambda d: complete.get(d, False))] if len(gaps) else gaps
    if counted.empty:
        return "No completely held dataset has baseline records yet; the target is not evaluated."
    n, k = len(counted), int(counted["within"].sum())
    misses = counted[~counted["within"]]
    explained = int((misses["reason"] != "").sum())
    verdict = "met" if k / n >= TARGET_SHARE else "missed"
    names = ", ".join(label(d) for d in sorted(set(counted["dataset"])))
    return (f"Baseline cells within ±{tolerance:g} of the paper on the completely held datasets ({names}): "
            f"{_share(k, n)}; target ≥ {100 * TARGET_SHARE:.0f} %: **{verdict}**. "
            f"Misses with a written reason: {explained} of {len(misses)}.")


def gap_markdown(gaps: pd.DataFrame, complete: dict[str, bool], experiment: str, header: str,
                 tolerance: float = TOLERANCE) -> str:
    lines = [header, f"# Baseline cells against the paper ({experiment})", "",
             f"The paper's seven baselines (all of Tables 2-6's methods but GL-GAN), three classifiers and three "
             f"metrics at r = {PAPER_RATIO:g}: how many of our means lie within ±{tolerance:g} of the paper's value. "
             "Δ/SE is Δ in standard errors of a difference of two means over seeds, assuming the paper's spread "
             "over seeds equals ours (the paper reports none); a constant result (std 0) has none. Reasons are "
             "hand-written in `results/paper/gap_reasons.yaml` (see docs/REPRODUCTION.md §15).", "",
             target_line(gaps, complete, tolerance), ""]
    if gaps.empty:
        return "\n".join(lines)
    lines += ["| Dataset | data | " + " | ".join(label(c) for c in CLASSIFIERS) + " | all |",
              "|---|---|" + "---|" * (len(CLASSIFIERS) + 1)]
    datasets = [d for d in DATASET_LABELS if d in set(gaps["dataset"])]
    for dataset in datasets:
        part = gaps[gaps["dataset"] == dataset]
        per = [part[part["classifier"] == c] for c in CLASSIFIERS]
        data = "complete" if complete.get(dataset, False) else "partial (not counted)"
        lines.append(f"| {label(dataset)} | {data} | "
                     + " | ".join(_share(int(p["within"].sum()), len(p)) for p in per)
                     + f" | {_share(int(part['within'].sum()), len(part))} |")
    for dataset in datasets:
        misses = gaps[(gaps["dataset"] == dataset) & ~gaps["within"]]
        lines += ["", f"## {label(dataset)}: {len(misses)} miss(es)", ""]
        if misses.empty:
            continue
        lines += ["| Classifier | Metric | Method | ours (std) | paper | Δ | Δ/SE | Reason |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in misses.itertuples():
            se = "—" if math.isnan(r.diff_se) else f"{r.diff_se:+.1f}"
            lines.append(f"| {label(r.classifier)} | {label(r.metric)} | {label(r.method)} | {r.mean:.4f} "
                         f"({r.std:.4f}) | {r.paper:.4f} | {r.diff:+.4f} | {se} | "
                         f"{r.reason or '**no reason written**'} |")
    return "\n".join(lines) + "\n"
