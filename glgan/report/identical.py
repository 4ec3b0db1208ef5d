"""Methods whose scores are identical on every seed of a dataset, and why, for the tables that show both.

Two columns with the same numbers look like a copy-paste error; the table says that the records agree seed
by seed and gives the known cause where there is one.
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from glgan.report.labels import PAPER_RATIO, label
from glgan.report.records import at_ratio

# Why a pair of methods can give identical runs (the pair sorted by name); a pair not listed is reported
# as identical with no cause given.
KNOWN_CAUSES = {
    ("auto_only", "plain_ae"): (
        "Auto-only is Plain AE plus the clustering loss (Eq. 3.2), which the default margin (0.5 pooled "
        "spreads) switches off once the classes' codes are that far apart; on this split they are from the "
        "start (docs/REPRODUCTION.md §6.6)"),
}


def identical_pairs(scores: pd.DataFrame, dataset: str, methods, ratio: float = PAPER_RATIO) -> list[tuple[str, str]]:
    """Pairs of ``methods`` whose every (seed, classifier, metric) score on ``dataset`` is equal.

    ``scores`` is :func:`glgan.report.records.long_scores`; a pair needs the same, non-empty set of keys.
    """
    if scores.empty:
        return []
    part = at_ratio(scores[scores["dataset"] == dataset], ratio)
    keyed = {m: part[part["method"] == m].set_index(["seed", "classifier", "metric"])["value"].sort_index()
             for m in methods}
    pairs = []
    for a, b in combinations(sorted(m for m, v in keyed.items() if len(v)), 2):
        if keyed[a].index.equals(keyed[b].index) and (keyed[a].to_numpy() == keyed[b].to_numpy()).all():
            pairs.append((a, b))
    return pairs


def identical_lines(scores: pd.DataFrame, dataset: str, methods, ratio: float = PAPER_RATIO) -> list[str]:
    """One sentence per identical pair: that the records agree seed by seed, and the known cause."""
    lines = []
    for a, b in identical_pairs(scores, dataset, methods, ratio):
        cause = KNOWN_CAUSES.get((a, b))
        lines.append(f"{label(a)} and {label(b)} give identical scores on every seed here"
                     + (f": {cause}." if cause else " (no cause recorded)."))
    return lines
