"""Significance beyond the paper: paired Wilcoxon tests over seeds, average ranks, Friedman and Nemenyi.

Following Demšar (2006, JMLR 7:1-30): methods are ranked within each block (a dataset x classifier x
metric cell at r = 0.01; rank 1 = highest mean, ties share the average rank), compared overall with the
Friedman test, and pairwise with the Nemenyi critical difference CD = q_alpha sqrt(k(k+1) / (6N)).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from glgan.report.labels import REFERENCE_METHOD

FAMILY = ["dataset", "classifier", "metric"]
WILCOXON_COLUMNS = [*FAMILY, "method", "n_pairs", "n_nonzero", "mean_diff", "median_diff", "wins", "losses",
                    "statistic", "p_value", "p_holm"]


def wilcoxon_pair(a, b) -> dict:
    """Two-sided paired Wilcoxon signed-rank test of ``a`` against ``b`` (aligned arrays).

    Zero differences are dropped (Wilcoxon's own treatment; ``n_nonzero`` says how many are left). With no
    non-zero difference the two samples are identical: p = 1 and no statistic.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    diff = a - b
    nonzero = diff[diff != 0]
    result = {
        "n_pairs": int(diff.size),
        "n_nonzero": int(nonzero.size),
        "mean_diff": float(diff.mean()) if diff.size else math.nan,
        "median_diff": float(np.median(diff)) if diff.size else math.nan,
        "wins": int((diff > 0).sum()),
        "losses": int((diff < 0).sum()),
        "statistic": math.nan,
        "p_value": math.nan if diff.size == 0 else 1.0,
    }
    if nonzero.size:
        test = stats.wilcoxon(a, b, zero_method="wilcox", alternative="two-sided")
        result["statistic"], result["p_value"] = float(test.statistic), float(test.pvalue)
    return result


def holm(p_values) -> np.ndarray:
    """Holm-Bonferroni adjusted p-values (NaN stays NaN and does not count as a test)."""
    p = np.asarray(p_values, dtype=float)
    adjusted = np.full_like(p, np.nan)
    valid = np.flatnonzero(~np.isnan(p))
    order = valid[np.argsort(p[valid], kind="stable")]
    m = len(order)
    running = 0.0
    for i, index in enumerate(order):
        running = max(running, min(1.0, (m - i) * p[index]))
        adjusted[index] = running
    return adjusted


def wilcoxon_table(scores: pd.DataFrame, reference: str = REFERENCE_METHOD) -> pd.DataFrame:
    """``reference`` against every other method, per dataset x classifier x metric, paired by seed.

    ``scores`` are long scores at one ratio. Holm's correction runs within each family (one dataset x
    classifier x metric, all baselines).
    """
    rows = []
    for family, group in scores.groupby(FAMILY, sort=True):
        wide = group.pivot_table(index="seed", columns="method", values="value", aggfunc="first")
        if reference not in wide:
            continue
        for method in [m for m in wide.columns if m != reference]:
            paired = wide[[reference, method]].dropna()
            rows.append({**dict(zip(FAMILY, family)), "method": method,
                         **wilcoxon_pair(paired[reference], paired[method])})
    table = pd.DataFrame(rows, columns=[c for c in WILCOXON_COLUMNS if c != "p_holm"])
    table["p_holm"] = np.nan
    for _, index in table.groupby(FAMILY).groups.items():
        table.loc[index, "p_holm"] = holm(table.loc[index, "p_value"])
    return table[WILCOXON_COLUMNS]


def rank_matrix(means: pd.DataFrame) -> pd.DataFrame:
    """Ranks within each row of ``means`` (rows = blocks, columns = methods); 1 = highest, ties averaged."""
    ranks = np.vstack([stats.rankdata(-row) for row in means.to_numpy(dtype=float)]) if len(means) else \
        np.empty((0, means.shape[1]))
    return pd.DataFrame(ranks, index=means.index, columns=means.columns)


def complete_blocks(summary: pd.DataFrame, methods) -> pd.DataFrame:
    """Mean score per block (dataset, classifier, metric) x method, keeping only blocks with every method."""
    wide = summary[summary["method"].isin(methods)].pivot_table(
        index=FAMILY, columns="method", values="mean", aggfunc="first")
    wide = wide.reindex(columns=[m for m in methods if m in wide.columns])
    return wide.dropna()


def friedman(means: pd.DataFrame) -> dict:
    """Friedman's chi-square (tie-corrected) and the Iman-Davenport F over complete blocks of ``means``."""
    n, k = means.shape
    out = {"n_blocks": int(n), "k_methods": int(k), "chi2": math.nan, "p_value": math.nan,
           "iman_davenport_f": math.nan, "iman_davenport_p": math.nan}
    if n < 2 or k < 3:
        return out
    # scipy ranks within blocks like rank_matrix and corrects the statistic for ties.
    test = stats.friedmanchisquare(*means.to_numpy(dtype=float).T)
    chi2 = float(test.statistic)
    out["chi2"], out["p_value"] = chi2, float(test.pvalue)
    if n * (k - 1) - chi2 > 0:
        f = (n - 1) * chi2 / (n * (k - 1) - chi2)
        out["iman_davenport_f"] = float(f)
        out["iman_davenport_p"] = float(stats.f.sf(f, k - 1, (k - 1) * (n - 1)))
    return out


def nemenyi_cd(k: int, n_blocks: int, alpha: float = 0.05) -> float:
    """Nemenyi critical difference of average ranks for ``k`` methods over ``n_blocks`` blocks.

    q_alpha is the studentized range quantile (infinite degrees of freedom) divided by sqrt(2), which
    reproduces Demšar's Table 5a (e.g. 2.569 for k = 4, 3.031 for k = 8 at alpha = 0.05).
    """
    q = stats.studentized_range.ppf(1 - alpha, k, np.inf) / math.sqrt(2)
    return float(q * math.sqrt(k * (k + 1) / (6 * n_blocks)))
