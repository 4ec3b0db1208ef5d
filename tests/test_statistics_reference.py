"""The significance statistics of the reports against a published worked example and hand-computed values.

* Friedman and Iman-Davenport on Demšar's (JMLR 7, 2006, §3.2.2, Table 6) 14 data sets x 4 classifiers: the
  average ranks 3.143, 2.000, 2.893, 1.964 and Nemenyi's CD = 1.25 as printed. Demšar prints the statistics
  without the correction for ties (chi2_F = 9.28, F_F = 3.69); the reports use the tie-corrected chi-square,
  which is the printed value divided by ``1 - sum(t^3 - t) / (N k (k^2 - 1))``, worked out here from the table's
  ties. A small tied table is also worked out by hand, p-values included (closed forms for 2 degrees of freedom).
* The KEEL benchmark's Wilcoxon signed-rank test against the reference method (exact two-sided p-values from
  the 2^6 sign patterns) and Holm's step-down correction within each classifier.
* The Bayesian signed-rank verdicts (baycomp) on a clearly better and a clearly equivalent pair.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from glgan.keel_benchmark import bayes
from glgan.keel_benchmark import stats as keel_stats
from glgan.report import stats

# Demšar (2006), Table 6: AUC of C4.5 with (m) and without tuned minimal examples per leaf and (cf) confidence.
DEMSAR_METHODS = ["C4.5", "C4.5+m", "C4.5+cf", "C4.5+m+cf"]
DEMSAR_AUC = {
    "adult (sample)": [0.763, 0.768, 0.771, 0.798],
    "breast cancer": [0.599, 0.591, 0.590, 0.569],
    "breast cancer wisconsin": [0.954, 0.971, 0.968, 0.967],
    "cmc": [0.628, 0.661, 0.654, 0.657],
    "ionosphere": [0.882, 0.888, 0.886, 0.898],
    "iris": [0.936, 0.931, 0.916, 0.931],
    "liver disorders": [0.661, 0.668, 0.609, 0.685],
    "lung cancer": [0.583, 0.583, 0.563, 0.625],
    "lymphography": [0.775, 0.838, 0.866, 0.875],
    "mushroom": [1.000, 1.000, 1.000, 1.000],
    "primary tumor": [0.940, 0.962, 0.965, 0.962],
    "rheum": [0.619, 0.666, 0.614, 0.669],
    # Printed as 0.975 / 0.975, but Demšar ranks C4.5+cf above C4.5+m+cf here (his average ranks need ranks 2 and
    # 3 on this set, not 2.5 and 2.5): the unrounded AUCs differ, so the tie is broken as his ranks break it.
    "voting": [0.972, 0.981, 0.9751, 0.975],
    "wine": [0.957, 0.978, 0.946, 0.970],
}
DEMSAR_RANKS = [3.143, 2.000, 2.893, 1.964]
DEMSAR_CHI2, DEMSAR_F, DEMSAR_CD = 9.28, 3.69, 1.25


def long_means(table: dict[str, list[float]], methods, classifier="cart") -> pd.DataFrame:
    """The benchmark's per-set means (one row per classifier, set and method) from a sets x methods table."""
    return pd.DataFrame([{"classifier": classifier, "dataset": name, "method": method, "mean": value}
                         for name, row in table.items() for method, value in zip(methods, row)])


def demsar_chi2(ranks, n):
    """Demšar's Eq. for chi2_F from average ranks (no correction for ties)."""
    k = len(ranks)
    return 12 * n / (k * (k + 1)) * (sum(r * r for r in ranks) - k * (k + 1) ** 2 / 4)


def iman_davenport(chi2, n, k):
    return (n - 1) * chi2 / (n * (k - 1) - chi2)


def test_the_reference_formulas_reproduce_demsars_printed_statistics():
    # Guards the hand formulas used below: from the printed ranks they give the printed chi2_F and F_F.
    chi2 = demsar_chi2(DEMSAR_RANKS, 14)
    assert chi2 == pytest.approx(DEMSAR_CHI2, abs=0.01)
    assert iman_davenport(chi2, 14, 4) == pytest.approx(DEMSAR_F, abs=0.01)


def test_friedman_on_demsars_table_matches_the_published_ranks_and_the_tie_corrected_statistic():
    means = long_means(DEMSAR_AUC, DEMSAR_METHODS)
    ranks = keel_stats.mean_ranks(means, DEMSAR_METHODS, ["cart"])["cart"]
    np.testing.assert_allclose(ranks.to_numpy(), DEMSAR_RANKS, atol=5e-4)

    (row,) = keel_stats.friedman_by_classifier(means, DEMSAR_METHODS, ["cart"]).to_dict("records")
    n, k = 14, 4
    assert (row["n_blocks"], row["k_methods"]) == (n, k)
    # Ties within a set: iris, lung cancer and primary tumor have a pair (t = 2, t^3 - t = 6 each); mushroom
    # has all four equal (t = 4, 60). Sum 78; the correction divides by 1 - 78 / (14 * 4 * 15) = 762/840.
    chi2 = demsar_chi2(DEMSAR_RANKS, n) / (1 - 78 / (n * k * (k * k - 1)))
    assert row["chi2"] == pytest.approx(chi2, rel=2e-3)  # 10.23; the printed ranks carry 3 decimals
    f = iman_davenport(chi2, n, k)
    assert row["iman_davenport_f"] == pytest.approx(f, rel=3e-3)  # 4.19 (3.69 without the correction)
    # Demšar: the critical value of F(3, 39) at alpha = 0.05 is 2.85, so the null hypothesis is rejected.
    assert row["iman_davenport_p"] < 0.05 and row["iman_davenport_f"] > 2.85
    assert row["nemenyi_cd"] == pytest.approx(DEMSAR_CD, abs=0.005)


def test_friedman_with_ties_on_a_small_table_worked_by_hand():
    # Within-block ranks (1 = highest):   A    B    C
    table = pd.DataFrame([[0.9, 0.8, 0.8],  # 1    2.5  2.5
                          [0.7, 0.7, 0.6],  # 1.5  1.5  3
                          [0.5, 0.4, 0.3],  # 1    2    3
                          [0.6, 0.5, 0.6]],  # 1.5 3    1.5
                         columns=["A", "B", "C"])
    np.testing.assert_allclose(stats.rank_matrix(table).mean().to_numpy(), [1.25, 2.25, 2.5])
    # Rank sums 5, 9, 10: chi2 = 12 / (N k (k+1)) * sum R^2 - 3 N (k+1) = 206 / 4 - 48 = 3.5 without ties;
    # three tied pairs: C = 1 - 3 * 6 / (4 * 3 * 8) = 13/16, chi2 = 3.5 / (13/16) = 56/13.
    result = stats.friedman(table)
    assert result["chi2"] == pytest.approx(56 / 13, rel=1e-12)
    assert result["p_value"] == pytest.approx(math.exp(-28 / 13), rel=1e-9)  # chi-square, 2 df: exp(-x/2)
    # Iman-Davenport: 3 * (56/13) / (8 - 56/13) = 3.5; F(2, 6) survival: (1 + 2 * 3.5 / 6) ** -3 = 216/2197.
    assert result["iman_davenport_f"] == pytest.approx(3.5, rel=1e-12)
    assert result["iman_davenport_p"] == pytest.approx(216 / 2197, rel=1e-9)


# --- Wilcoxon against the reference, Holm within a classifier --------------------------------------------------

BASE = [0.50, 0.60, 0.55, 0.70, 0.65, 0.80]
STEPS = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06]  # |differences|: ranks 1..6, no ties


def _reference_table():
    """Six sets; reference ``glgan`` minus each method: a all positive, b and c with the rank-1 difference
    negative, d equal to the reference everywhere."""
    a = [g - s for g, s in zip(BASE, STEPS)]
    b = [BASE[0] + STEPS[0]] + [g - s for g, s in zip(BASE[1:], STEPS[1:])]
    c = [BASE[0] + STEPS[0] - 0.005] + [g - s + 0.005 for g, s in zip(BASE[1:], STEPS[1:])]  # |d| .005, .015, .., .055
    return {f"set{i}": [BASE[i], a[i], b[i], c[i], BASE[i]] for i in range(6)}


def test_wilcoxon_against_the_reference_with_exact_p_values_and_holms_step_down():
    methods = ["glgan", "a", "b", "c", "d"]
    means = pd.concat([
        long_means(_reference_table(), methods, "cart"),
        long_means({f"set{i}": [BASE[i], BASE[i] - STEPS[i]] for i in range(6)}, ["glgan", "a"], "knn"),
    ])
    table = keel_stats.wilcoxon_vs_reference(means, methods, ["cart", "knn"], "glgan")
    cart = table[table["classifier"] == "cart"].set_index("method")
    # Exact two-sided p = 2 P(W- <= w) over the 2^6 equally likely sign patterns: W- = 0 -> 2/64;
    # W- = 1 (only the smallest difference negative) -> 2 * 2/64. No non-zero difference: p = 1.
    np.testing.assert_allclose(cart.loc[["a", "b", "c", "d"], "p_value"], [1 / 32, 1 / 16, 1 / 16, 1.0], rtol=1e-9)
    assert cart.loc[["a", "b", "c"], "statistic"].tolist() == [0.0, 1.0, 1.0]  # min(W+, W-)
    assert cart.loc["a", ["wins", "ties", "losses"]].tolist() == [6, 0, 0]
    assert cart.loc["b", ["wins", "ties", "losses"]].tolist() == [5, 0, 1]
    assert cart.loc["d", ["wins", "ties", "losses"]].tolist() == [0, 6, 0]
    # Holm over the 4 tests of one classifier: sorted p 1/32, 1/16, 1/16, 1 -> 4/32, 3/16, max(3/16, 2/16), 1.
    np.testing.assert_allclose(cart.loc[["a", "b", "c", "d"], "p_holm"], [0.125, 0.1875, 0.1875, 1.0], rtol=1e-9)
    # knn is its own family of one test: no correction.
    knn = table[table["classifier"] == "knn"].set_index("method")
    assert knn.index.tolist() == ["a"]
    assert knn.loc["a", "p_holm"] == pytest.approx(1 / 32, rel=1e-9)


def test_holm_ignores_missing_p_values_and_keeps_the_adjusted_values_monotone():
    adjusted = stats.holm([0.04, np.nan, 0.01, 0.03, 0.2])
    # m = 4: 0.01 * 4 = 0.04; 0.03 * 3 = 0.09; 0.04 * 2 = 0.08 -> 0.09 (step-down maximum); 0.2 * 1 -> 0.2.
    np.testing.assert_allclose(adjusted, [0.09, np.nan, 0.04, 0.09, 0.2], rtol=1e-12)
    assert stats.holm([0.5, 0.6]).tolist() == [1.0, 1.0]  # capped at 1


# --- Bayesian signed-rank verdicts -----------------------------------------------------------------------------


def _pair(differences, seed=0):
    rng = np.random.default_rng(seed)
    right = rng.uniform(0.3, 0.8, size=len(differences))
    return pd.DataFrame({"glgan": right + differences, "smote": right})


def test_bayesian_signed_rank_calls_a_clearly_better_method_better_whichever_side_it_is_on():
    differences = np.random.default_rng(1).uniform(0.08, 0.12, size=15)  # far beyond the 0.01 ROPE
    table = _pair(differences)
    row = bayes.compare(table, "cart", "glgan vs smote", "glgan", "smote")
    assert row["n_sets"] == 15 and row["mean_diff"] == pytest.approx(differences.mean())
    assert row["p_left"] >= 0.99 and row["p_rope"] + row["p_right"] <= 0.01
    assert row["p_left"] + row["p_rope"] + row["p_right"] == pytest.approx(1.0)
    assert bayes.verdict(row["p_left"], row["p_rope"], row["p_right"], "glgan", "smote") == "glgan better"
    mirrored = bayes.compare(table, "cart", "smote vs glgan", "smote", "glgan")
    assert mirrored["p_right"] >= 0.99
    assert bayes.verdict(mirrored["p_left"], mirrored["p_rope"], mirrored["p_right"], "smote", "glgan") == \
        "glgan better"


def test_bayesian_signed_rank_calls_differences_inside_the_rope_equivalent():
    differences = np.random.default_rng(2).uniform(-0.003, 0.003, size=30)  # well inside +-0.01
    row = bayes.compare(_pair(differences), "cart", "glgan vs smote", "glgan", "smote")
    assert row["p_rope"] >= 0.99
    assert bayes.verdict(row["p_left"], row["p_rope"], row["p_right"], "glgan", "smote") == "equivalent"
    # The same differences scaled beyond the ROPE are no longer equivalent.
    wide = bayes.compare(_pair(differences * 20 + 0.05), "cart", "glgan vs smote", "glgan", "smote")
    assert bayes.verdict(wide["p_left"], wide["p_rope"], wide["p_right"], "glgan", "smote") == "glgan better"


def test_verdict_needs_a_probability_of_at_least_095():
    assert bayes.verdict(0.95, 0.03, 0.02, "x", "y") == "x better"
    assert bayes.verdict(0.949, 0.03, 0.021, "x", "y") == "undecided"
    assert bayes.verdict(0.02, 0.96, 0.02, "x", "y") == "equivalent"
    assert bayes.verdict(0.0, 0.04, 0.96, "x", "y") == "y better"
