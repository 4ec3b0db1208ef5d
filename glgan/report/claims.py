"""The paper's claims, each checked against our numbers by a fixed, written-down rule.

Every rule works on per-cell means at r = 0.01 (a cell = dataset x classifier x metric) or on the
interleaving table, and returns a verdict: held, partly, not held, or not tested (no records).
Rules that compare methods are also applied to the paper's own Table 2-6 values, for reference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from glgan.report.labels import OVERSAMPLERS, PAPER_RATIO, TABLE_METHODS, label

CELL = ["dataset", "classifier", "metric"]
HELD, PARTLY, NOT_HELD, NOT_TESTED = "held", "partly", "not held", "not tested"


@dataclass
class Claim:
    key: str
    claim: str
    source: str
    rule: str
    verdict: str = NOT_TESTED
    evidence: str = "no records"
    paper: str = ""
    numbers: dict = field(default_factory=dict)
    caveats: list = field(default_factory=list)  # filled by glgan.report.claim_caveats.add_caveats


def _wide(summary: pd.DataFrame, methods=None) -> pd.DataFrame:
    """Cells x methods matrix of means at r = 0.01 (methods as columns)."""
    frame = summary[np.isclose(summary["ratio"].astype(float), PAPER_RATIO)] if "ratio" in summary else summary
    value = "mean" if "mean" in frame else "value"
    wide = frame.pivot_table(index=CELL, columns="method", values=value, aggfunc="first")
    if methods is not None:
        wide = wide.reindex(columns=[m for m in methods if m in wide.columns])
    return wide


def _share(mask) -> float:
    mask = np.asarray(mask, dtype=bool)
    return float(mask.mean()) if mask.size else float("nan")


def _pct(x: float) -> str:
    """A share as a whole percentage, rounded half up (2/3 is 67%, not 66%)."""
    return "n/a" if np.isnan(x) else f"{math.floor(100 * x + 0.5 + 1e-9)}%"


def oversampling_beats_imbalanced(wide: pd.DataFrame) -> dict:
    """Share of (cell, oversampler) pairs, and of cells, where oversampling beats ``imbalanced``."""
    if "imbalanced" not in wide:
        return {"n_cells": 0, "pairs_share": float("nan"), "best_share": float("nan"), "n_pairs": 0,
                "n_beats": 0}
    others = wide[[m for m in OVERSAMPLERS if m in wide]]
    base = wide["imbalanced"]
    valid = others.notna() & base.notna().to_numpy()[:, None]
    beats = (others.to_numpy() > base.to_numpy()[:, None]) & valid.to_numpy()
    cells = base.notna() & valid.any(axis=1)
    return {
        "n_cells": int(cells.sum()),
        "n_pairs": int(valid.to_numpy().sum()),
        "n_beats": int(beats.sum()),
        "pairs_share": float(beats.sum() / valid.to_numpy().sum()) if valid.to_numpy().sum() else float("nan"),
        "best_share": _share(others[cells].max(axis=1) > base[cells]),
    }


def wins(wide: pd.DataFrame, methods=TABLE_METHODS) -> tuple[pd.Series, int]:
    """Cells in which each method has the highest mean (ties: every tied method wins), at 4 decimals.

    Returns the win count per method and the number of cells with at least two methods.
    """
    sub = wide[[m for m in methods if m in wide]].round(4)
    sub = sub[sub.notna().sum(axis=1) >= 2]
    best = sub.eq(sub.max(axis=1), axis=0) & sub.notna()
    return best.sum().astype(int).rename("wins"), len(sub)


def compare(wide: pd.DataFrame, a: str, b: str, cells=None) -> dict:
    """Cells where ``a``'s mean > ``b``'s (both present); ``cells`` restricts to an index subset."""
    if a not in wide or b not in wide:
        return {"n": 0, "share": float("nan")}
    pair = wide[[a, b]].dropna()
    if cells is not None:
        pair = pair[pair.index.isin(cells)]
    return {"n": int(len(pair)), "share": _share(pair[a] > pair[b]), "n_above": int((pair[a] > pair[b]).sum())}


def evaluate(summary: pd.DataFrame, paper: pd.DataFrame, interleave: pd.DataFrame, wilcoxon: pd.DataFrame,
             avg_ranks: pd.Series | None) -> list[Claim]:
    """All five claims. ``interleave`` is the interleaving table averaged over seeds (may be empty)."""
    ours = _wide(summary)
    theirs_all = _wide(paper.rename(columns={"value": "mean"}).assign(ratio=PAPER_RATIO))
    held_datasets = sorted(set(ours.index.get_level_values("dataset"))) if len(ours) else []
    theirs = theirs_all[theirs_all.index.get_level_values("dataset").isin(held_datasets)]
    return [
        _claim_oversampling(ours, theirs, theirs_all),
        _claim_glgan_best(ours, theirs, theirs_all, wilcoxon, avg_ranks),
        _claim_ablations(ours),
        _claim_clustering(ours, interleave),
        _claim_hybrids(interleave),
    ]


def _claim_oversampling(ours, theirs, theirs_all) -> Claim:
    claim = Claim(
        "oversampling", "Oversampling beats training on the imbalanced set", "§4.2 (i)",
        "Over all cells at r = 0.01, the share of (cell, oversampler) pairs in which the oversampler's mean is "
        "higher than Imbalanced's. Held if ≥ 75%, partly if ≥ 50%, else not held. Also shown: the share of "
        "cells in which the best oversampler beats Imbalanced.")
    result = oversampling_beats_imbalanced(ours)
    claim.numbers = result
    if result["n_pairs"]:
        s = result["pairs_share"]
        claim.verdict = HELD if s >= 0.75 else PARTLY if s >= 0.5 else NOT_HELD
        claim.evidence = (f"oversampler above Imbalanced in {result['n_beats']} of {result['n_pairs']} pairs "
                          f"({_pct(s)}); best "
                          f"oversampler above it in {_pct(result['best_share'])} of {result['n_cells']} cells")
    p_same, p_all = oversampling_beats_imbalanced(theirs), oversampling_beats_imbalanced(theirs_all)
    claim.paper = (f"{_pct(p_same['pairs_share'])} of pairs on the same datasets; "
                   f"{_pct(p_all['pairs_share'])} on all five tables")
    return claim


def _claim_glgan_best(ours, theirs, theirs_all, wilcoxon, avg_ranks) -> Claim:
    claim = Claim(
        "glgan_best", "GL-GAN gives the best classifier in most cells", "§4.2 (ii)",
        "Share of cells at r = 0.01 in which GL-GAN has the highest mean among the paper's eight methods "
        "(means rounded to 4 decimals; ties count for every tied method). Held if > 50%; partly if not, but "
        "GL-GAN still wins more cells than any other method or has the best average rank; else not held. "
        "Paired Wilcoxon tests (Holm-corrected within each cell, α = 0.05) are counted alongside.")
    counts, n = wins(ours) if "glgan" in ours else (pd.Series(dtype=int), 0)
    if n == 0:
        return claim
    share = counts.get("glgan", 0) / n if n else float("nan")
    top = counts.drop("glgan", errors="ignore")
    leads = counts.get("glgan", 0) >= (top.max() if len(top) else 0)
    best_rank = avg_ranks is not None and len(avg_ranks) and avg_ranks.idxmin() == "glgan"
    claim.verdict = HELD if share > 0.5 else PARTLY if (leads or best_rank) else NOT_HELD
    others = ", ".join(f"{label(m)} {int(c)}" for m, c in counts.drop("glgan", errors="ignore").sort_values(
        ascending=False).items() if c)
    sig = wilcoxon[wilcoxon["method"].isin(TABLE_METHODS)] if len(wilcoxon) else wilcoxon
    better = int(((sig["p_holm"] < 0.05) & (sig["mean_diff"] > 0)).sum()) if len(sig) else 0
    worse = int(((sig["p_holm"] < 0.05) & (sig["mean_diff"] < 0)).sum()) if len(sig) else 0
    claim.numbers = {"share": share, "n_cells": n, "wins": counts.to_dict(), "sig_better": better,
                     "sig_worse": worse, "n_tests": int(len(sig))}
    claim.evidence = (f"GL-GAN best in {counts.get('glgan', 0)} of {n} cells ({_pct(share)}); other wins: "
                      f"{others or 'none'}; Wilcoxon: significantly better in {better}, worse in {worse} of "
                      f"{len(sig)} (cell, baseline) tests")
    paper_parts = []
    for name, frame in (("same datasets", theirs), ("all five tables", theirs_all)):
        c, m = wins(frame)
        paper_parts.append(f"{c.get('glgan', 0)} of {m} cells on {name}")
    claim.paper = "; ".join(paper_parts)
    return claim


def _claim_ablations(ours) -> Claim:
    claim = Claim(
        "ablations", "Auto-only and cGAN are below GL-GAN at r = 0.01", "§4.3, Figures 3-4",
        "AdaBoost MCC at r = 0.01 (the figures' metric) on every dataset with records: GL-GAN's mean above "
        "Auto-only's and above cGAN's. Held if above in every such comparison and in ≥ 75% of all cells "
        "for both; not held if above in fewer than half of the AdaBoost-MCC comparisons; else partly.")
    figure_cells = [c for c in ours.index if c[1] == "adaboost" and c[2] == "mcc"]
    parts, above, total, shares = [], 0, 0, {}
    for other in ("auto_only", "cgan"):
        fig = compare(ours, "glgan", other, figure_cells)
        allc = compare(ours, "glgan", other)
        shares[other] = allc["share"]
        if fig["n"]:
            above += fig["n_above"]
            total += fig["n"]
            parts.append(f"vs {label(other)}: above in {fig['n_above']}/{fig['n']} AdaBoost-MCC datasets, "
                         f"{_pct(allc['share'])} of {allc['n']} cells")
    claim.numbers = {"above": above, "comparisons": total, "cell_shares": shares}
    if total:
        if above == total and all(s >= 0.75 for s in shares.values()):
            claim.verdict = HELD
        elif above / total < 0.5:
            claim.verdict = NOT_HELD
        else:
            claim.verdict = PARTLY
        claim.evidence = "; ".join(parts)
    claim.paper = "shown only as curves (Figures 3-4); no numbers to compare"
    return claim


def _mnist(interleave: pd.DataFrame, method: str):
    rows = interleave[(interleave["dataset"] == "mnist") & (interleave["method"] == method)] \
        if len(interleave) else interleave
    return rows.iloc[0] if len(rows) else None


def _claim_clustering(ours, interleave) -> Claim:
    claim = Claim(
        "clustering_loss", "The clustering loss (Eq. 3.2) helps", "§5.1, Figure 5",
        "Auto-only (with Eq. 3.2) against Plain AE (without): the share of cells at r = 0.01 in which "
        "Auto-only's mean is higher, and on MNIST whether fewer of Auto-only's synthetic 7s have a 4 as "
        "nearest real neighbour. Held if the share is ≥ 75% and MNIST interleaving is lower; not held if "
        "the share is < 50% and MNIST interleaving is not lower; else partly.")
    cells = compare(ours, "auto_only", "plain_ae")
    auto, plain = _mnist(interleave, "auto_only"), _mnist(interleave, "plain_ae")
    lower = None if auto is None or plain is None else bool(auto.share_majority_nn < plain.share_majority_nn)
    claim.numbers = {"cells": cells, "mnist_lower": lower}
    parts = []
    if cells["n"]:
        parts.append(f"Auto-only above Plain AE in {cells['n_above']} of {cells['n']} cells ({_pct(cells['share'])})")
    if lower is not None:
        parts.append(f"MNIST synthetic 7s nearest a 4: Auto-only {_pct(auto.share_majority_nn)}, "
                     f"Plain AE {_pct(plain.share_majority_nn)}")
    if cells["n"] and lower is not None:
        if cells["share"] >= 0.75 and lower:
            claim.verdict = HELD
        elif cells["share"] < 0.5 and not lower:
            claim.verdict = NOT_HELD
        else:
            claim.verdict = PARTLY
    elif parts:
        claim.verdict = NOT_TESTED
        parts.append("(the rule needs both parts)")
    claim.evidence = "; ".join(parts) or claim.evidence
    claim.paper = "shown only as images (Figure 5)"
    return claim


def _claim_hybrids(interleave) -> Claim:
    claim = Claim(
        "smote_hybrids", "SMOTE makes 4/7 hybrids, GL-GAN does not", "§5.2, Figure 6",
        "On MNIST (4 majority, 7 minority, r = 0.01): the share of synthetic 7s whose nearest real training "
        "image is a 4. Held if SMOTE's share exceeds that of real held-out 7s (the natural level) and "
        "GL-GAN's share is below SMOTE's; partly if only one of the two; else not held.")
    smote, glgan = _mnist(interleave, "smote"), _mnist(interleave, "glgan")
    if smote is None or glgan is None:
        return claim
    real = smote.real_share_majority_nn
    above_real = bool(smote.share_majority_nn > real)
    glgan_lower = bool(glgan.share_majority_nn < smote.share_majority_nn)
    claim.verdict = HELD if above_real and glgan_lower else PARTLY if (above_real or glgan_lower) else NOT_HELD
    claim.numbers = {"smote": smote.share_majority_nn, "glgan": glgan.share_majority_nn, "real": real}
    claim.evidence = (f"nearest real image is a 4 for {_pct(smote.share_majority_nn)} of SMOTE's and "
                      f"{_pct(glgan.share_majority_nn)} of GL-GAN's synthetic 7s ({_pct(real)} of real held-out "
                      f"7s); mean distance to the nearest real 7: SMOTE {smote.mean_dist_minority:.2f}, GL-GAN "
                      f"{glgan.mean_dist_minority:.2f}, real {smote.real_mean_dist_minority:.2f}")
    claim.paper = "shown only as images (Figure 6)"
    return claim
