"""How far the baselines land from the paper: cells within a tolerance, and each miss with its checked reason.

A baseline cell is one of the paper's seven methods other than GL-GAN, at one classifier and one metric,
r = 0.01. The target counts only the datasets held completely (a partial dataset is shown, not counted).
Every miss is listed with Δ = ours − paper, with Δ in standard errors of a difference of two 10-seed means,
``Δ / (std · √(2 / n))``, which assumes the paper's spread over seeds equals ours (the paper gives none),
and with the one-line reason of ``results/paper/gap_reasons.yaml`` that names the cell (hand-written, read by
:mod:`glgan.report.gap_reasons`), whose stated facts are evaluated on the records (:mod:`glgan.report.gap_facts`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from glgan.report.gap_facts import FACTS, GapContext
from glgan.report.gap_reasons import BASELINES, REASONS_YAML, GapReason, load_reasons
from glgan.report.labels import CLASSIFIERS, DATASET_LABELS, PAPER_RATIO, label
from glgan.report.no_rows import NO_ROWS_COLUMNS
from glgan.report.tables import table_frame

__all__ = ["BASELINES", "REASONS_YAML", "GapReason", "load_reasons", "baseline_gaps", "target_line",
           "gap_markdown", "share_text"]

TOLERANCE = 0.05
TARGET_SHARE = 0.85
# A standard deviation this small relative to the mean is float noise of a constant result, not a spread.
SE_RELATIVE_FLOOR = 1e-9
VERIFIED, PLAUSIBLE, WRONG, NO_REASON = "verified", "plausible", "WRONG", "none"


def standard_error(std: pd.Series, mean: pd.Series, n_seeds: pd.Series) -> pd.Series:
    """SE of a difference of two ``n_seeds`` means; 0 where ``std`` is float noise of a constant result."""
    noise = std.abs() <= SE_RELATIVE_FLOOR * np.maximum(mean.abs(), 1.0)
    return (std * np.sqrt(2.0 / n_seeds)).where(~noise, 0.0)


def baseline_gaps(summary: pd.DataFrame, paper: pd.DataFrame, datasets, reasons: list[GapReason],
                  tolerance: float = TOLERANCE, *, no_rows: pd.DataFrame | None = None,
                  n_test: dict[str, int] | None = None, complete: dict[str, bool] | None = None) -> pd.DataFrame:
    """One row per baseline cell with records and a paper value.

    Columns added to :func:`glgan.report.tables.table_frame`'s: ``diff_se`` (NaN for a constant result),
    ``within``, ``reason`` (the entry naming the cell, for misses), ``verdict`` (verified, plausible, WRONG
    or none) and ``facts`` (each stated fact with what the records say). ``no_rows``, ``n_test`` and
    ``complete`` are what the facts read (:class:`glgan.report.gap_facts.GapContext`).
    """
    no_rows = no_rows if no_rows is not None else pd.DataFrame(columns=NO_ROWS_COLUMNS)
    frames = [table_frame(summary, paper, d, BASELINES, no_rows=no_rows) for d in datasets]
    gaps = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if gaps.empty:
        return gaps.assign(diff_se=[], within=[], reason=[], verdict=[], facts=[])
    gaps = gaps[(gaps["n_seeds"] > 0) & gaps["paper"].notna()].drop(columns=["best", "paper_best"])
    se = standard_error(gaps["std"], gaps["mean"], gaps["n_seeds"])
    gaps["diff_se"] = np.where(se > 0, gaps["diff"] / se.where(se > 0, 1.0), np.nan)
    gaps["within"] = gaps["diff"].abs() <= tolerance + 1e-12
    gaps = gaps.reset_index(drop=True)
    context = GapContext(gaps=gaps, summary=summary, paper=paper, no_rows=no_rows, n_test=dict(n_test or {}),
                         complete=dict(complete or {}))
    judged = [_judge(cell, reasons, context) for cell in gaps.itertuples()]
    gaps["reason"] = [j[0] for j in judged]
    gaps["verdict"] = [j[1] for j in judged]
    gaps["facts"] = [j[2] for j in judged]
    return gaps


def _judge(cell, reasons: list[GapReason], context: GapContext) -> tuple[str, str, str]:
    """(reason, verdict, facts) of one cell: a reason is verified only if every fact it states holds."""
    if cell.within:
        return "", "", ""
    reason = next((r for r in reasons if r.matches(cell.dataset, cell.method, cell.classifier, cell.metric)), None)
    if reason is None:
        return "", NO_REASON, ""
    if not reason.facts:
        return reason.reason, PLAUSIBLE, ""
    results = [(fact, *FACTS[fact.name].check(context, cell, fact.argument)) for fact in reason.facts]
    text = "; ".join(f"{fact} {'✓' if holds else '✗'} ({says})" for fact, holds, says in results)
    return reason.reason, VERIFIED if all(holds for _, holds, _ in results) else WRONG, text


def share_text(k: int, n: int) -> str:
    """``k of n (p %)`` with p rounded half up (126 of 189 is 67 %, not 66 %)."""
    return f"{k} of {n} ({math.floor(100 * k / n + 0.5)} %)" if n else "—"


def unused_cells(gaps: pd.DataFrame, reasons: list[GapReason]) -> list[tuple[GapReason, int]]:
    """Entries that name cells which are not misses (within the tolerance), with how many; for the report."""
    if gaps.empty:
        return []
    misses = {(r.dataset, r.method, r.classifier, r.metric) for r in gaps[~gaps["within"]].itertuples()}
    present = {(r.dataset, r.method, r.classifier, r.metric) for r in gaps.itertuples()}
    out = []
    for reason in reasons:
        extra = (reason.cells() & present) - misses
        if extra:
            out.append((reason, len(extra)))
    return out


def target_line(gaps: pd.DataFrame, complete: dict[str, bool], tolerance: float = TOLERANCE) -> str:
    """The target on the completely held datasets, with the misses' reasons counted by verdict."""
    counted = gaps[gaps["dataset"].map(lambda d: complete.get(d, False))] if len(gaps) else gaps
    if counted.empty:
        return "No completely held dataset has baseline records yet; the target is not evaluated."
    n, k = len(counted), int(counted["within"].sum())
    misses = counted[~counted["within"]]
    by = misses["verdict"].value_counts()
    verdict = "met" if k / n >= TARGET_SHARE else "missed"
    names = ", ".join(label(d) for d in sorted(set(counted["dataset"])))
    return (f"Baseline cells within ±{tolerance:g} of the paper on the completely held datasets ({names}): "
            f"{share_text(k, n)}; target ≥ {100 * TARGET_SHARE:.0f} %: **{verdict}**. "
            f"Of the {len(misses)} misses, {by.get(VERIFIED, 0)} have a verified reason (every fact it states "
            f"holds on the records), {by.get(PLAUSIBLE, 0)} a plausible one (no checkable fact), "
            f"{by.get(WRONG, 0)} a reason the records contradict (WRONG) and {by.get(NO_REASON, 0)} none.")


def gap_markdown(gaps: pd.DataFrame, complete: dict[str, bool], experiment: str, header: str,
                 tolerance: float = TOLERANCE, reasons: list[GapReason] = ()) -> str:
    lines = [header, f"# Baseline cells against the paper ({experiment})", "",
             f"The paper's seven baselines (all of Tables 2-6's methods but GL-GAN), three classifiers and three "
             f"metrics at r = {PAPER_RATIO:g}: how many of our means lie within ±{tolerance:g} of the paper's value. "
             "Δ/SE is Δ in standard errors of a difference of two means over seeds, assuming the paper's spread "
             "over seeds equals ours (the paper reports none); a constant result (std 0) has none. Reasons are "
             "hand-written in `results/paper/gap_reasons.yaml` (see docs/REPRODUCTION.md §9.5); each names its "
             "cells, and the facts it states about the records are checked here: **verified** = every fact "
             "holds, **plausible** = the reason states no checkable fact, **WRONG** = a stated fact is false.",
             "", target_line(gaps, complete, tolerance), ""]
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
                     + " | ".join(share_text(int(p["within"].sum()), len(p)) for p in per)
                     + f" | {share_text(int(part['within'].sum()), len(part))} |")
    for reason, n in unused_cells(gaps, reasons):
        lines.append(f"\nThe entry for {reason.label} also names {n} cell(s) within ±{tolerance:g} (not misses).")
    for dataset in datasets:
        misses = gaps[(gaps["dataset"] == dataset) & ~gaps["within"]]
        lines += ["", f"## {label(dataset)}: {len(misses)} miss(es)", ""]
        if misses.empty:
            continue
        lines += ["| Classifier | Metric | Method | ours (std) | paper | Δ | Δ/SE | Reason | Check |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for r in misses.itertuples():
            se = "—" if math.isnan(r.diff_se) else f"{r.diff_se:+.1f}"
            idle = f" ({r.n_no_rows}/{r.n_seeds} seeds without rows)" if r.n_no_rows else ""
            check = f"**{r.verdict}**" + (f": {r.facts}" if r.facts else "")
            lines.append(f"| {label(r.classifier)} | {label(r.metric)} | {label(r.method)}{idle} | {r.mean:.4f} "
                         f"({r.std:.4f}) | {r.paper:.4f} | {r.diff:+.4f} | {se} | "
                         f"{r.reason or '**no reason written**'} | {check} |")
    return "\n".join(lines) + "\n"
