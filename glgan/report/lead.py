"""The answer a reader wants first, generated from the records: does GL-GAN beat SMOTE, at what cost, which
of the paper's claims hold."""

from __future__ import annotations

import numpy as np
import pandas as pd

from glgan.report.claims import Claim
from glgan.report.labels import PAPER_RATIO, label
from glgan.report.records import at_ratio

DECIMALS = 4  # ties are decided on the means as printed in the tables


def head_to_head(summary: pd.DataFrame, a: str, b: str, metric: str = "mcc") -> dict:
    """Cells (dataset x classifier) at r = 0.01 where ``a``'s mean ``metric`` is above, equal to, below ``b``'s."""
    part = at_ratio(summary[summary["metric"] == metric], PAPER_RATIO)
    wide = part.pivot_table(index=["dataset", "classifier"], columns="method", values="mean", aggfunc="first")
    if a not in wide or b not in wide:
        return {"n": 0}
    pair = wide[[a, b]].dropna().round(DECIMALS)
    return {"n": len(pair), "wins": int((pair[a] > pair[b]).sum()), "ties": int((pair[a] == pair[b]).sum()),
            "losses": int((pair[a] < pair[b]).sum()), "mean_a": float(pair[a].mean()),
            "mean_b": float(pair[b].mean()), "datasets": sorted(set(pair.index.get_level_values("dataset")))}


def seconds_per_fit(records: pd.DataFrame, method: str) -> float:
    """Median sampler seconds per run of ``method`` at r = 0.01 (one value per run, not per classifier)."""
    if records.empty or "sampler_seconds" not in records:
        return float("nan")
    runs = at_ratio(records[records["method"] == method], PAPER_RATIO).drop_duplicates(
        ["dataset", "method", "ratio", "seed"])
    return float(runs["sampler_seconds"].median()) if len(runs) else float("nan")


def lead_lines(records: pd.DataFrame, summary: pd.DataFrame, ranks: pd.Series | None, claims: list[Claim],
               method: str = "glgan", rival: str = "smote") -> list[str]:
    """Three or four bullet lines for the top of ``results/README.md``; empty without records."""
    duel = head_to_head(summary, method, rival)
    if not duel["n"]:
        return []
    names = ", ".join(label(d) for d in duel["datasets"])
    verdict = "beats" if duel["wins"] > duel["losses"] else "does not beat"
    lines = [f"- **{label(method)} {verdict} {label(rival)} here**: over the {duel['n']} (dataset, classifier) "
             f"MCC cells at r = {PAPER_RATIO:g} ({names}; partial data included) it wins {duel['wins']}, ties "
             f"{duel['ties']} and loses {duel['losses']}; mean MCC {duel['mean_a']:.3f} against "
             f"{duel['mean_b']:.3f}."]
    if ranks is not None and method in ranks and rival in ranks:
        order = ranks.sort_values()
        lines.append(f"- Mean rank among the paper's {len(ranks)} methods over every cell (all three metrics): "
                     f"{label(method)} {ranks[method]:.2f}, {label(rival)} {ranks[rival]:.2f}; best "
                     f"{label(order.index[0])} {order.iloc[0]:.2f}.")
    mine, theirs = seconds_per_fit(records, method), seconds_per_fit(records, rival)
    if not (np.isnan(mine) or np.isnan(theirs)):
        ratio = f" ({mine / theirs:.0f}× {label(rival)}'s)" if theirs > 0 else ""
        lines.append(f"- Cost: {label(method)} takes {mine:.1f} s per fit (median sampler wall time of its runs at "
                     f"r = {PAPER_RATIO:g}, as recorded by the sweep) against {theirs:.3f} s for {label(rival)}{ratio}; "
                     "`results/bench.md` has single-thread timings.")
    if claims:
        held = [c for c in claims if c.verdict == "held"]
        lines.append("- The paper's claims: " + "; ".join(f"{c.claim}: **{c.verdict}**" for c in claims)
                     + f" ({len(held)} of {len(claims)} held; caveats beside each verdict below).")
    return lines
