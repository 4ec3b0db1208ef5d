"""Tables and tests of the KEEL benchmark, from its fold records (one row per set, method, fold, classifier).

Per set, a method's score is the mean over folds (and repeats). Ranks, the Friedman test and Nemenyi's
critical difference treat the sets as blocks (Demšar 2006), one family per classifier. The reference method
(GL-GAN) is compared with every other by a two-sided Wilcoxon signed-rank test over the sets' mean MCC,
Holm-corrected within each classifier; a win/tie/loss compares the two means of one set (tie: equal to 1e-9).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from glgan.experiment.evaluation import BENCHMARK_METRICS
from glgan.report import stats

TIE = 1e-9
#: Methods that never add rows by design: their n_synthetic == 0 is no failure, and they are the baselines
#: that an oversampler has to beat ("not oversampling, done well").
NO_OVERSAMPLING = ("imbalanced", "class_weight", "threshold")


def set_means(records: pd.DataFrame, metric: str = "mcc") -> pd.DataFrame:
    """Mean, std (over folds and repeats, ddof=1) and count of ``metric`` per (classifier, dataset, method).

    Records without the metric (written before it existed) are left out, so their cells read as not run.
    """
    if metric not in records:
        return pd.DataFrame(columns=["classifier", "dataset", "method", "mean", "std", "n"])
    rows = records.assign(value=records[metric].astype(float)).dropna(subset=["value"])
    grouped = rows.groupby(["classifier", "dataset", "method"])["value"]
    return grouped.agg(mean="mean", std="std", n="count").reset_index()


def oversamplers(methods) -> list[str]:
    return [m for m in methods if m not in NO_OVERSAMPLING]


def empty_runs(records: pd.DataFrame, methods) -> pd.DataFrame:
    """Per (set, oversampler): folds where the sampler returned its input unchanged (``n_synthetic == 0``), of all."""
    if "n_synthetic" not in records:
        return pd.DataFrame(columns=["dataset", "method", "empty", "folds"])
    runs = records[records["method"].isin(oversamplers(methods))].drop_duplicates(["dataset", "method", "repeat", "fold"])
    table = runs.assign(empty=runs["n_synthetic"] == 0).groupby(["dataset", "method"])["empty"].agg(["sum", "count"])
    table = table.rename(columns={"sum": "empty", "count": "folds"}).reset_index()
    return table[table["empty"] > 0].astype({"empty": int, "folds": int})


def no_rows_note(empty: int, folds: int) -> str:
    return f"no rows on {empty}/{folds} folds"


def wide(means: pd.DataFrame, classifier: str, methods) -> pd.DataFrame:
    """Sets x methods of mean scores for one classifier, methods in plan order, only sets with every method."""
    table = means[means["classifier"] == classifier].pivot(index="dataset", columns="method", values="mean")
    return table.reindex(columns=[m for m in methods if m in table.columns]).dropna()


def score_table(means: pd.DataFrame, classifier: str, methods, sets, notes=None) -> pd.DataFrame:
    """Markdown-ready cells ``mean ± std`` per set x method, the best mean of each set in bold.

    ``notes`` maps (set, method) to a remark appended to that cell (e.g. "no rows on 3/5 folds").
    """
    notes = notes or {}
    sub = means[means["classifier"] == classifier]
    mean = sub.pivot(index="dataset", columns="method", values="mean")
    std = sub.pivot(index="dataset", columns="method", values="std")
    columns = [m for m in methods if m in mean.columns]
    rows = {}
    for name in [s for s in sets if s in mean.index]:
        best = mean.loc[name, columns].max()
        cells = []
        for method in columns:
            value, spread = mean.loc[name, method], std.loc[name, method]
            if pd.isna(value):
                cells.append("–")
                continue
            text = f"{value:.3f} ± {0.0 if pd.isna(spread) else spread:.3f}"
            text = f"**{text}**" if value >= best - TIE else text
            cells.append(f"{text} ({notes[name, method]})" if (name, method) in notes else text)
        rows[name] = cells
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns)


def mean_ranks(means: pd.DataFrame, methods, classifiers) -> pd.DataFrame:
    """Mean rank (1 = best) of each method per classifier over the complete sets; a column per classifier."""
    columns = {}
    for classifier in classifiers:
        table = wide(means, classifier, methods)
        if len(table):
            columns[classifier] = stats.rank_matrix(table).mean()
    return pd.DataFrame(columns).reindex([m for m in methods])


def friedman_by_classifier(means: pd.DataFrame, methods, classifiers) -> pd.DataFrame:
    rows = []
    for classifier in classifiers:
        table = wide(means, classifier, methods)
        result = stats.friedman(table)
        cd = stats.nemenyi_cd(table.shape[1], table.shape[0]) if table.shape[0] >= 2 and table.shape[1] >= 2 \
            else np.nan
        rows.append({"classifier": classifier, **result, "nemenyi_cd": cd})
    return pd.DataFrame(rows)


WILCOXON_COLUMNS = ["classifier", "method", "n_sets", "wins", "ties", "losses", "mean_diff", "statistic", "p_value",
                    "p_holm"]


def wilcoxon_vs_reference(means: pd.DataFrame, methods, classifiers, reference: str) -> pd.DataFrame:
    """Reference against every other method per classifier: paired over sets, Holm within the classifier."""
    rows = []
    for classifier in classifiers:
        table = wide(means, classifier, methods)
        if reference not in table:
            continue
        block = []
        for method in [m for m in table.columns if m != reference]:
            diff = table[reference] - table[method]
            result = stats.wilcoxon_pair(table[reference], table[method])
            block.append({"classifier": classifier, "method": method, "n_sets": int(len(diff)),
                          "wins": int((diff > TIE).sum()), "ties": int((diff.abs() <= TIE).sum()),
                          "losses": int((diff < -TIE).sum()), "mean_diff": result["mean_diff"],
                          "statistic": result["statistic"], "p_value": result["p_value"]})
        holm = stats.holm([row["p_value"] for row in block])
        rows += [{**row, "p_holm": float(p)} for row, p in zip(block, holm)]
    return pd.DataFrame(rows, columns=WILCOXON_COLUMNS)  # the columns also when the reference was not run


def metric_overview(records: pd.DataFrame, methods) -> pd.DataFrame:
    """Mean over sets and classifiers of every benchmark metric, per method (each set weighs the same)."""
    present = [m for m in BENCHMARK_METRICS if m in records]  # older records lack the ranking metrics
    per_set = records.groupby(["classifier", "dataset", "method"])[present].mean()
    return per_set.groupby("method").mean().reindex(index=list(methods), columns=list(BENCHMARK_METRICS))


def sampler_seconds(records: pd.DataFrame, methods) -> pd.DataFrame:
    """Sampler wall time per fold (one value per run, not per classifier): mean, median, max, total."""
    runs = records.drop_duplicates(["dataset", "method", "repeat", "fold"])
    table = runs.groupby("method")["sampler_seconds"].agg(mean="mean", median="median", max="max", total="sum")
    return table.reindex([m for m in methods])


def cpu_time(records: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """CPU seconds by set (sampler + each classifier) and by component, largest first."""
    runs = records.drop_duplicates(["dataset", "method", "repeat", "fold"])
    sampler = runs.groupby("dataset")["sampler_seconds"].sum()
    classifiers = records.pivot_table(index="dataset", columns="classifier", values="classifier_seconds", aggfunc="sum")
    by_set = classifiers.assign(sampler=sampler)
    by_set["total"] = by_set.sum(axis=1)
    by_set = by_set.sort_values("total", ascending=False)
    by_component = by_set.drop(columns="total").sum().sort_values(ascending=False).rename("seconds").to_frame()
    return by_set, by_component
