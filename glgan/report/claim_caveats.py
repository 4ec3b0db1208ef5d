"""What qualifies a claim's verdict: cells built from samplers that generated no rows, and in-sample choices.

A verdict is only as good as the cells it rests on. Two things weaken it and are written next to it:
a compared sampler that generated no rows on some seeds (its cells are partly Imbalanced under another
name), and a choice of defaults made on data that also judges the claim (the verdict is then in-sample).
"""

from __future__ import annotations

import pandas as pd

from glgan.report.claims import Claim
from glgan.report.labels import OVERSAMPLERS, PAPER_RATIO, TABLE_METHODS, label
from glgan.report.records import at_ratio

# The methods each claim's rule compares (glgan/report/claims.py); the MNIST claims use the interleaving
# re-runs, not the stored runs, so they have no stored runs to check for missing rows.
CLAIM_METHODS = {
    "oversampling": ("imbalanced", *OVERSAMPLERS),
    "glgan_best": tuple(TABLE_METHODS),
    "ablations": ("glgan", "auto_only", "cgan"),
    "clustering_loss": ("auto_only", "plain_ae"),
    "smote_hybrids": (),
}

# Choices made on data that also judges a claim: (claims, dataset the choice saw, what was chosen there).
IN_SAMPLE_CHOICES = (
    (("clustering_loss", "smote_hybrids"), "mnist",
     "GL-GAN's defaults were checked on MNIST 4-vs-7 training images (scripts/tune_glgan.py), and Figures 5-6 "
     "judge this claim on the same 4-vs-7 pair, whose loader joins the training and test images; "
     "the MNIST part of this verdict is in-sample"),
    (("glgan_best", "ablations", "clustering_loss"), "gas_drift",
     "GL-GAN's balanced defaults (and the ablations built on them) fix the minority collapse first "
     "diagnosed on this Gas-drift split (docs/REPRODUCTION.md §6.5), so its Gas-drift cells are not "
     "out-of-sample evidence"),
)


def no_rows_caveat(methods, no_rows: pd.DataFrame, datasets) -> str:
    """``built from cells where NRAS generated no rows (USPS 7/10 seeds, ...)``; empty when none."""
    if not methods or no_rows.empty:
        return ""
    part = at_ratio(no_rows[no_rows["method"].isin(methods) & no_rows["dataset"].isin(datasets)
                            & (no_rows["n_no_rows"] > 0)], PAPER_RATIO)
    if part.empty:
        return ""
    per_method = []
    for method, rows in part.groupby("method", sort=True):
        where = ", ".join(f"{label(r.dataset)} {r.n_no_rows}/{r.n_seeds} seeds" for r in rows.itertuples())
        per_method.append(f"{label(method)} ({where})")
    return ("built partly from cells whose sampler generated no rows on some seeds, where it equals "
            "Imbalanced: " + "; ".join(per_method))


def add_caveats(claims: list[Claim], no_rows: pd.DataFrame, datasets) -> list[Claim]:
    """Fill each claim's ``caveats`` from the runs without rows and the in-sample choices; returns ``claims``."""
    datasets = set(datasets)
    for claim in claims:
        caveats = []
        if claim.verdict == "not tested":
            claim.caveats = caveats
            continue
        idle = no_rows_caveat(CLAIM_METHODS.get(claim.key, ()), no_rows, datasets)
        if idle:
            caveats.append(idle)
        for keys, dataset, text in IN_SAMPLE_CHOICES:
            if claim.key in keys and (dataset in datasets or dataset == "mnist"):
                caveats.append(text)
        claim.caveats = caveats
    return claims
