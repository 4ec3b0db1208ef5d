"""Bayesian signed-rank tests with a region of practical equivalence (Benavoli et al., JMLR 18(77), 2017).

``baycomp.SignedRankTest`` over the sets' mean scores of two methods (one classifier): the posterior
probabilities that the left method is better by more than the ROPE, that the two are within it, and that the
right one is better. The ROPE is :data:`ROPE` (0.01 of MCC, or of ROC AUC where that is compared), the prior
baycomp's default (strength 0.5 at a zero difference), and the Monte Carlo sample fixed (:data:`NSAMPLES` draws,
seed :data:`SEED`) so that a report is reproducible. A probability of at least :data:`DECISIVE` decides.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ROPE = 0.01
NSAMPLES = 50_000
SEED = 0
DECISIVE = 0.95
COLUMNS = ["classifier", "comparison", "left", "right", "n_sets", "mean_diff", "p_left", "p_rope", "p_right"]


def signed_rank(left, right, rope: float = ROPE) -> tuple[float, float, float]:
    """``(P(left better), P(equivalent), P(right better))`` from paired per-set scores."""
    import baycomp

    left, right = np.asarray(left, dtype=float), np.asarray(right, dtype=float)
    if left.shape != right.shape or left.ndim != 1 or len(left) == 0:
        raise ValueError(f"signed_rank needs two equally long, non-empty score vectors, got {left.shape} and {right.shape}.")
    p_left, p_rope, p_right = baycomp.SignedRankTest.probs(left, right, rope=rope, nsamples=NSAMPLES, random_state=SEED)
    return float(p_left), float(p_rope), float(p_right)


def verdict(p_left: float, p_rope: float, p_right: float, left: str, right: str) -> str:
    """The decision a probability of :data:`DECISIVE` allows, in words."""
    if p_left >= DECISIVE:
        return f"{left} better"
    if p_rope >= DECISIVE:
        return "equivalent"
    if p_right >= DECISIVE:
        return f"{right} better"
    return "undecided"


def compare(table: pd.DataFrame, classifier: str, comparison: str, left: str, right: str, rope: float = ROPE) -> dict:
    """One row of :data:`COLUMNS` from a sets x methods table of mean scores (NaN probabilities if one is missing)."""
    row = {"classifier": classifier, "comparison": comparison, "left": left, "right": right}
    if left not in table or right not in table or left == right:
        return {**row, "n_sets": 0, "mean_diff": np.nan, "p_left": np.nan, "p_rope": np.nan, "p_right": np.nan}
    p_left, p_rope, p_right = signed_rank(table[left], table[right], rope)
    return {**row, "n_sets": int(len(table)), "mean_diff": float((table[left] - table[right]).mean()),
            "p_left": p_left, "p_rope": p_rope, "p_right": p_right}
