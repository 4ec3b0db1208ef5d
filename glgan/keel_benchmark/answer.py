"""The benchmark report's opening section: the practitioner's question, answered from the fold records.

Does oversampling still help against a strong classifier, class weights and a tuned threshold? Per classifier
and metric (MCC, ROC AUC), the oversampler with the best mean over the sets is compared with ``class_weight`` and
``threshold`` by the Bayesian signed-rank test (:mod:`glgan.keel_benchmark.bayes`). Picking the best oversampler
on the same sets favours oversampling, so a "no" is the robust answer. Then where the reference method (GL-GAN)
stands, and a heatmap of the mean MCC rank, method x classifier.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from glgan.keel_benchmark import bayes
from glgan.keel_benchmark import stats as bs
from glgan.report.labels import VARIANT_METHODS, label

BASELINES = ("class_weight", "threshold")
ANSWER_METRICS = ("mcc", "roc_auc")
NOT_RUN = "not run yet"


def best_oversampler(table: pd.DataFrame, methods, exclude=()) -> str | None:
    """The oversampler with the highest mean over the sets of ``table`` (sets x methods), or ``None``."""
    candidates = [m for m in bs.oversamplers(methods) if m in table and m not in exclude]
    return max(candidates, key=lambda m: table[m].mean()) if candidates else None


def practitioner_rows(records: pd.DataFrame, methods, classifiers) -> pd.DataFrame:
    """Per (metric, classifier, baseline): the baseline's and the best oversampler's means and the Bayesian test."""
    rows = []
    for metric in ANSWER_METRICS:
        means = bs.set_means(records, metric)
        for classifier in classifiers:
            table = bs.wide(means, classifier, methods)
            best = best_oversampler(table, methods)
            for baseline in BASELINES:
                row = {"metric": metric, "baseline": baseline}
                if best is None or baseline not in table:
                    rows.append({**row, "classifier": classifier, "best": best, "n_sets": 0})
                    continue
                ahead = sum(table[m].mean() > table[baseline].mean() + bs.TIE for m in bs.oversamplers(methods) if m in table)
                test = bayes.compare(table, classifier, metric, best, baseline)
                rows.append({**row, "baseline_mean": table[baseline].mean(), "best": best, "best_mean": table[best].mean(),
                             "ahead": ahead, "oversamplers": len([m for m in bs.oversamplers(methods) if m in table]),
                             **test, "verdict": bayes.verdict(test["p_left"], test["p_rope"], test["p_right"],
                                                              "oversampler", "baseline")})
    return pd.DataFrame(rows)


def _answer_line(rows: pd.DataFrame, classifier: str) -> str:
    parts = []
    for metric in ANSWER_METRICS:
        for baseline in BASELINES:
            row = rows[(rows["classifier"] == classifier) & (rows["metric"] == metric) & (rows["baseline"] == baseline)]
            if row.empty or not row.iloc[0]["n_sets"]:
                parts.append(f"{label(metric)} vs {label(baseline)}: {NOT_RUN}")
                continue
            r = row.iloc[0]
            beats = "**yes**" if r["p_left"] >= bayes.DECISIVE else "no"
            parts.append(f"{label(metric)} vs {label(baseline)}: {beats} ({label(r['best'])} {r['best_mean']:.3f} vs "
                         f"{r['baseline_mean']:.3f}, {bayes.verdict(r['p_left'], r['p_rope'], r['p_right'], 'oversampler', 'baseline')}; "
                         f"{r['ahead']}/{r['oversamplers']} oversamplers ahead in mean)")
    if all(part.endswith(NOT_RUN) for part in parts):
        return f"* **{label(classifier)}**: {NOT_RUN} (needs {', '.join(label(b) for b in BASELINES)} and an oversampler)."
    return f"* **{label(classifier)}**: " + "; ".join(parts) + "."


def answer_lines(rows: pd.DataFrame, classifiers) -> list[str]:
    """One bullet per classifier: the best oversampler against each baseline on MCC and ROC AUC."""
    return [_answer_line(rows, classifier) for classifier in classifiers]


def standing_rows(means: pd.DataFrame, ranks: pd.DataFrame, methods, classifiers, reference: str,
                  other: str = "smote") -> pd.DataFrame:
    """Per classifier: the reference's win/tie/loss against ``other`` over the sets' means, both mean ranks and
    mean MCCs (``tables/standing.csv``); a classifier without both methods is left out."""
    rows = []
    for classifier in classifiers:
        table = bs.wide(means, classifier, methods)
        if reference not in table or other not in table:
            continue
        diff = table[reference] - table[other]
        rows.append({"classifier": classifier, "reference": reference, "other": other, "n_sets": len(table),
                     "wins": int((diff > bs.TIE).sum()), "ties": int((diff.abs() <= bs.TIE).sum()),
                     "losses": int((diff < -bs.TIE).sum()), "n_methods": table.shape[1],
                     "reference_rank": ranks.loc[reference, classifier], "other_rank": ranks.loc[other, classifier],
                     "reference_mean": table[reference].mean(), "other_mean": table[other].mean()})
    return pd.DataFrame(rows, columns=["classifier", "reference", "other", "n_sets", "wins", "ties", "losses",
                                       "n_methods", "reference_rank", "other_rank", "reference_mean", "other_mean"])


def reference_standing(standing: pd.DataFrame, classifiers, reference: str, other: str = "smote") -> pd.DataFrame:
    """The report's table of :func:`standing_rows`, labelled, a row per classifier ("not run yet" where missing)."""
    rows, found = [], standing.set_index("classifier")
    for classifier in classifiers:
        row = {"classifier": label(classifier)}
        if classifier not in found.index:
            rows.append({**row, f"W/T/L vs {label(other)}": NOT_RUN})
            continue
        r = found.loc[classifier]
        row[f"W/T/L vs {label(other)}"] = f"{r['wins']}/{r['ties']}/{r['losses']}"
        for method, key in ((reference, "reference"), (other, "other")):
            row[f"{label(method)} mean rank (of {r['n_methods']})"] = r[f"{key}_rank"]
            row[f"{label(method)} mean MCC"] = r[f"{key}_mean"]
        rows.append(row)
    return pd.DataFrame(rows).set_index("classifier")


def rank_heatmap(ranks: pd.DataFrame, path, title: str, mark=label):
    """Mean rank per method (rows) and classifier (columns); methods without oversampling first, set apart."""
    import matplotlib.pyplot as plt

    from glgan.report.figures import save

    plain = [m for m in bs.NO_OVERSAMPLING if m in ranks.index]
    order = plain + sorted((m for m in ranks.index if m not in plain), key=lambda m: ranks.loc[m].mean())
    data = ranks.reindex(order)
    fig, ax = plt.subplots(figsize=(1.4 * data.shape[1] + 3.5, 0.36 * len(order) + 1.4))
    image = ax.imshow(data.to_numpy(dtype=float), cmap="viridis_r", aspect="auto")
    for (i, j), value in np.ndenumerate(data.to_numpy(dtype=float)):
        if np.isfinite(value):
            ax.text(j, i, f"{value:.1f}", ha="center", va="center", fontsize=8,
                    color="white" if value > np.nanmean(data.to_numpy(dtype=float)) else "black")  # dark cells: high ranks
    ax.set_xticks(range(data.shape[1]), [label(c) for c in data.columns], fontsize=8)
    ax.set_yticks(range(len(order)), [f"{mark(m)}  [no oversampling]" if m in plain else mark(m) for m in order],
                  fontsize=8)
    for tick, method in zip(ax.get_yticklabels(), order):
        if method in plain:
            tick.set_fontweight("bold")
    if plain:
        ax.axhline(len(plain) - 0.5, color="red", linewidth=2)
    fig.colorbar(image, ax=ax, label="mean MCC rank (1 = best)")
    ax.set_title(title, fontsize=9)
    return save(fig, path)


def answer_section(rows: pd.DataFrame, plan, methods, classifiers, means: pd.DataFrame, ranks: pd.DataFrame,
                   seconds: pd.DataFrame, figures, markdown, mark=label) -> list[str]:
    """Markdown lines of the report's opening section, from :func:`practitioner_rows`."""
    missing = [m for m in BASELINES if m not in methods] + [c for c in plan.classifiers if c not in classifiers]
    lines = ["## The practitioner's question: does oversampling beat class weights and a tuned threshold?", "",
             f"Per classifier: the oversampler with the best mean over the sets against `class_weight` and `threshold` "
             f"(no oversampling; see Protocol). An oversampler **beats** a baseline when the Bayesian signed-rank test "
             f"gives P(oversampler better by more than {bayes.ROPE}) ≥ {bayes.DECISIVE}; picked on these same sets, "
             "the best oversampler is favoured, so a *no* is robust. The threshold method refits the classifier that "
             "`imbalanced` fits, so its ROC AUC equals Imbalanced's: on AUC it stands for the unweighted classifier.", ""]
    if missing:
        lines += [f"*Not run yet:* {', '.join(label(m) for m in missing)}.", ""]
    lines += answer_lines(rows, classifiers) + [""]
    reference = plan.reference
    if reference in methods:
        standing = reference_standing(standing_rows(means, ranks, methods, classifiers, reference), classifiers,
                                      reference)
        lines += [f"**Where {label(reference)} stands** (MCC; win/tie/loss over the sets' mean MCC):", "",
                  markdown(standing, ".3f"), ""]
        if reference in seconds.index and "smote" in seconds.index:
            ref, smote = seconds.loc[reference, "mean"], seconds.loc["smote", "mean"]
            ratio = f" ({ref / smote:.0f}× SMOTE's)" if smote > 0 else ""
            lines += [f"Sampler time per fit: {label(reference)} {ref:.2f} s, SMOTE {smote:.3f} s{ratio}.", ""]
    if len(ranks.dropna(how="all")):
        paths = rank_heatmap(ranks.dropna(how="all"), figures / "answer_mean_rank",
                             f"{plan.experiment}: mean MCC rank per classifier", mark)
        lines += [f"![mean MCC rank, method × classifier; the rows above the red line do not oversample]"
                  f"(figures/{paths[0].name})", ""]
    return lines


def bayes_section(means: pd.DataFrame, ranks: pd.DataFrame, methods, classifiers, reference: str, markdown) -> tuple[list[str], pd.DataFrame]:
    """Markdown lines and the table of the reference against SMOTE, the best peer, class_weight and threshold."""
    rows = []
    for classifier in classifiers:
        table = bs.wide(means, classifier, methods)
        peers = [m for m in bs.oversamplers(methods) if m in table and m != reference
                 and VARIANT_METHODS.get(m) != reference]
        peer = min(peers, key=lambda m: ranks.loc[m, classifier]) if peers and classifier in ranks else None
        for comparison, other in (("SMOTE", "smote"), ("best peer", peer), ("class weights", "class_weight"),
                                  ("tuned threshold", "threshold")):
            if other is not None:
                rows.append(bayes.compare(table, classifier, comparison, reference, other))
    frame = pd.DataFrame(rows, columns=bayes.COLUMNS)
    shown = frame.assign(classifier=frame["classifier"].map(label), left=frame["left"].map(label),
                         right=frame["right"].map(label))
    lines = [f"## Bayesian signed-rank test with ROPE: {label(reference)} against SMOTE, the best peer and no oversampling",
             "", f"baycomp's `SignedRankTest` (Benavoli et al. 2017) over the sets' mean MCC, ROPE = {bayes.ROPE} MCC, "
             f"prior 0.5, {bayes.NSAMPLES} posterior draws (seed {bayes.SEED}). p_left: P({label(reference)} better), "
             "p_rope: P(practically equivalent), p_right: P(the other better). The best peer is the oversampler other "
             f"than {label(reference)} and its variant with the best mean MCC rank for that classifier; "
             "n_sets 0: not run yet.", "", markdown(shown, ".3f", index=False), ""]
    return lines, frame


CALIBRATION = {"brier": 0.01, "log_loss": 0.02}  # metric -> ROPE (lower is better for both)
CALIBRATION_BASELINES = ("imbalanced", "class_weight", "threshold")


def calibration_rows(records: pd.DataFrame, practitioner: pd.DataFrame, methods, classifiers) -> pd.DataFrame:
    """Per (classifier, metric, baseline): the best oversampler by MCC (the one the answer picks) against the
    baseline on the Brier score or log-loss of its minority probability, Bayesian signed-rank with the metric's
    ROPE (:data:`CALIBRATION`). p_left is P(the oversampler better calibrated, i.e. lower). A classifier whose
    records hold no probability (LinearSVC) has no row."""
    rows = []
    picks = practitioner[practitioner["metric"] == "mcc"].drop_duplicates("classifier").set_index("classifier")["best"]
    for metric, rope in CALIBRATION.items():
        means = bs.set_means(records, metric)
        for classifier in classifiers:
            table = bs.wide(means, classifier, methods)
            best = picks.get(classifier)
            if table.empty or best is None or best not in table:
                continue
            for baseline in CALIBRATION_BASELINES:
                if baseline not in table:
                    continue
                test = bayes.compare(-table, classifier, metric, best, baseline, rope)  # negated: higher is better
                rows.append({**test, "mean_diff": -test["mean_diff"], "rope": rope, "best_mean": table[best].mean(),
                             "baseline_mean": table[baseline].mean(),
                             "verdict": bayes.verdict(test["p_left"], test["p_rope"], test["p_right"],
                                                      "oversampler", "baseline")})
    return pd.DataFrame(rows)


def calibration_section(rows: pd.DataFrame, classifiers, means_table: pd.DataFrame, markdown) -> list[str]:
    """Markdown lines: does oversampling cost calibration? One line per classifier and the mean of every method."""
    lines = ["## Calibration: does oversampling cost the probabilities?", "",
             "Brier score and log-loss of the predicted minority probability (lower is better; `predict_proba`: "
             "LinearSVC gives none, so it has no row). The oversampler with the best mean MCC (the one the answer "
             "above picks) against the classifier left as it is, class weights and the tuned threshold, Bayesian "
             "signed-rank test with a ROPE of " + " and ".join(f"{v} {label(k)}" for k, v in CALIBRATION.items())
             + ". The tuned threshold moves only the decision, so its probabilities are Imbalanced's.", ""]
    if rows.empty:
        return lines + ["*No record holds the calibration metrics yet.*", ""]
    for classifier in classifiers:
        part = rows[rows["classifier"] == classifier]
        if part.empty:
            continue
        parts = [f"{label(r.comparison)} vs {label(r.right)}: {r.best_mean:.3f} vs {r.baseline_mean:.3f}, {r.verdict}"
                 for r in part.itertuples()]
        lines.append(f"* **{label(classifier)}** ({label(part['left'].iloc[0])}): " + "; ".join(parts) + ".")
    return lines + ["", "Mean over sets (– = no probability):", "", markdown(means_table, ".3f"), ""]
