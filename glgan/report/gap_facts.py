"""Facts a gap reason may state about the records, each a predicate evaluated on one baseline cell.

A fact returns whether it holds on the cell and what the records say (shown when it does not hold), so a
reason such as "NRAS generated no rows on 7 of 10 seeds" is checked every time the report is made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from glgan.report.labels import PAPER_RATIO, label
from glgan.report.no_rows import no_rows_at
from glgan.report.records import at_ratio

MAJORITY_ONLY_MACRO_F1 = 1 / 3  # macro F1 when every test row is predicted as majority on a balanced test set
MAJORITY_ONLY_TOLERANCE = 0.005
ONE_ROW_TOLERANCE = 5e-5


@dataclass
class GapContext:
    """What the facts read: the gap rows, summaries, the paper, runs without rows, test sizes, data status."""

    gaps: pd.DataFrame
    summary: pd.DataFrame
    paper: pd.DataFrame
    no_rows: pd.DataFrame
    n_test: dict[str, int] = field(default_factory=dict)
    complete: dict[str, bool] = field(default_factory=dict)

    def ours(self, dataset, method, classifier, metric) -> float:
        s = at_ratio(self.summary, PAPER_RATIO)
        row = s[(s["dataset"] == dataset) & (s["method"] == method) & (s["classifier"] == classifier)
                & (s["metric"] == metric)]
        return float(row["mean"].iloc[0]) if len(row) else math.nan

    def theirs(self, dataset, method, classifier, metric) -> float:
        p = self.paper
        row = p[(p["dataset"] == dataset) & (p["method"] == method) & (p["classifier"] == classifier)
                & (p["metric"] == metric)]
        return float(row["value"].iloc[0]) if len(row) else math.nan

    def gap(self, dataset, method, classifier, metric):
        g = self.gaps
        row = g[(g["dataset"] == dataset) & (g["method"] == method) & (g["classifier"] == classifier)
                & (g["metric"] == metric)]
        return row.iloc[0] if len(row) else None


@dataclass(frozen=True)
class FactSpec:
    """A predicate ``check(context, cell, argument) -> (holds, what the records say)``."""

    check: Callable
    argument: str = "none"  # "none", "number" or "seeds" (an integer or "all")

    def check_argument(self, argument, where: str) -> None:
        ok = {"none": argument is None,
              "number": isinstance(argument, (int, float)) and not isinstance(argument, bool),
              "seeds": argument == "all" or (isinstance(argument, int) and not isinstance(argument, bool))}
        if not ok[self.argument]:
            raise ValueError(f"{where}: fact {self.check.__name__!r} takes "
                             f"{ {'none': 'no argument', 'number': 'a number', 'seeds': 'an integer or all'}[self.argument]}, "
                             f"got {argument!r}.")


def no_rows_on_seeds(ctx: GapContext, cell, argument) -> tuple[bool, str]:
    """The cell's sampler generated no rows on exactly ``argument`` seeds (``all``: on every seed)."""
    k, n = no_rows_at(ctx.no_rows, cell.dataset, cell.method)
    wanted = n if argument == "all" else argument
    return n > 0 and k == wanted, f"{label(cell.method)} generated no rows on {k} of {n} seeds"


def imbalanced_below_paper(ctx: GapContext, cell, argument) -> tuple[bool, str]:
    """Imbalanced's cell (same classifier and metric) is below the paper's Imbalanced."""
    ours = ctx.ours(cell.dataset, "imbalanced", cell.classifier, cell.metric)
    theirs = ctx.theirs(cell.dataset, "imbalanced", cell.classifier, cell.metric)
    return bool(ours < theirs), f"Imbalanced {ours:.4f} vs paper {theirs:.4f}"


def imbalanced_misses_too(ctx: GapContext, cell, argument) -> tuple[bool, str]:
    """Imbalanced's cell is a miss too, on the same side of the paper."""
    row = ctx.gap(cell.dataset, "imbalanced", cell.classifier, cell.metric)
    if row is None:
        return False, "Imbalanced has no cell here"
    holds = (not row["within"]) and np.sign(row["diff"]) == np.sign(cell.diff)
    return bool(holds), f"Imbalanced Δ {row['diff']:+.4f}"


def paper_below_both_swim_codes(ctx: GapContext, cell, argument) -> tuple[bool, str]:
    """The paper's value is below our mean with the corrected SWIM and with the published SWIM code."""
    corrected = ctx.ours(cell.dataset, "swim", cell.classifier, cell.metric)
    published = ctx.ours(cell.dataset, "swim_published", cell.classifier, cell.metric)
    holds = cell.paper < corrected and cell.paper < published
    return bool(holds), f"paper {cell.paper:.4f}; SWIM {corrected:.4f}, SWIM (published code) {published:.4f}"


def paper_below_own_imbalanced(ctx: GapContext, cell, argument) -> tuple[bool, str]:
    """The paper's value for the method is below the paper's own Imbalanced (same classifier and metric)."""
    own = ctx.theirs(cell.dataset, "imbalanced", cell.classifier, cell.metric)
    return bool(cell.paper < own), f"paper {label(cell.method)} {cell.paper:.4f} vs its Imbalanced {own:.4f}"


def abs_se_at_most(ctx: GapContext, cell, argument) -> tuple[bool, str]:
    """|Δ| is at most ``argument`` standard errors."""
    return bool(abs(cell.diff_se) <= argument), f"Δ/SE {cell.diff_se:+.2f}"


def predicts_majority_only(ctx: GapContext, cell, argument) -> tuple[bool, str]:
    """Our macro F1 for the method and classifier is that of predicting only the majority (1/3)."""
    f1 = ctx.ours(cell.dataset, cell.method, cell.classifier, "macro_f1")
    return bool(abs(f1 - MAJORITY_ONLY_MACRO_F1) <= MAJORITY_ONLY_TOLERANCE), f"macro F1 {f1:.4f}"


def paper_is_one_test_row(ctx: GapContext, cell, argument) -> tuple[bool, str]:
    """The paper's MCC is ±1/√(n_test − 1): one test row predicted as minority among majority predictions."""
    n = ctx.n_test.get(cell.dataset)
    if not n:
        return False, "no test size in the records"
    one_row = 1 / math.sqrt(n - 1)
    return bool(abs(abs(cell.paper) - one_row) <= ONE_ROW_TOLERANCE), f"paper {cell.paper:+.4f}; 1/√{n - 1} = {one_row:.4f}"


def partial_data(ctx: GapContext, cell, argument) -> tuple[bool, str]:
    """The dataset's records come from partial data."""
    complete = ctx.complete.get(cell.dataset)
    return complete is False, "partial data" if complete is False else "complete data"


FACTS: dict[str, FactSpec] = {
    "no_rows_on_seeds": FactSpec(no_rows_on_seeds, "seeds"),
    "imbalanced_below_paper": FactSpec(imbalanced_below_paper),
    "imbalanced_misses_too": FactSpec(imbalanced_misses_too),
    "paper_below_both_swim_codes": FactSpec(paper_below_both_swim_codes),
    "paper_below_own_imbalanced": FactSpec(paper_below_own_imbalanced),
    "abs_se_at_most": FactSpec(abs_se_at_most, "number"),
    "predicts_majority_only": FactSpec(predicts_majority_only),
    "paper_is_one_test_row": FactSpec(paper_is_one_test_row),
    "partial_data": FactSpec(partial_data),
}
