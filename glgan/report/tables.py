"""Tables 2-6: our mean ± std over seeds beside the paper's value, as Markdown, CSV and LaTeX.

The CSV is tidy (one row per classifier, metric and method) so it can be checked against the raw records;
the Markdown and LaTeX lay it out like the paper (rows classifier x metric, columns methods).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from glgan.report.identical import identical_lines
from glgan.report.labels import (
    ABLATION_METHODS,
    CLASSIFIERS,
    DATASET_LABELS,
    METRICS,
    PAPER_RATIO,
    REFERENCE_METHOD,
    TABLE_METHODS,
    TABLES,
    VARIANT_METHODS,
    label,
)
from glgan.report.no_rows import no_rows_at, no_rows_lines, no_rows_note

DECIMALS = 4  # the paper's precision; "best" is decided on the values as printed
TABLE_COLUMNS = ["dataset", "classifier", "metric", "method", "mean", "std", "n_seeds", "paper", "diff",
                 "best", "paper_best", "n_no_rows"]


def fmt(value, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    value = round(float(value), DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{value:+.{DECIMALS}f}" if signed else f"{value:.{DECIMALS}f}"


def _row_best(values: pd.Series) -> pd.Series:
    """True where the value (rounded as printed) is the row's maximum; ties are all best; NaN never."""
    rounded = values.astype(float).round(DECIMALS)
    if rounded.isna().all():
        return pd.Series(False, index=values.index)
    return rounded == rounded.max()


def table_frame(summary: pd.DataFrame, paper: pd.DataFrame, dataset: str,
                methods=TABLE_METHODS, no_rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tidy table of one dataset at r = 0.01: mean, std, seeds, paper value, difference and best flags.

    ``summary`` comes from :func:`glgan.report.records.summarize` (any ratios; only r = 0.01 is used),
    ``paper`` from :func:`glgan.report.records.load_paper`. Rows cover every classifier x metric x method
    so a method without records shows as NaN rather than vanishing. ``no_rows`` (from
    :func:`glgan.report.no_rows.no_rows_runs`) fills ``n_no_rows``, the seeds whose sampler generated no row.
    """
    ours = summary[(summary["dataset"] == dataset) & np.isclose(summary["ratio"].astype(float), PAPER_RATIO)]
    ours = ours.set_index(["classifier", "metric", "method"])
    theirs = paper[paper["dataset"] == dataset].set_index(["classifier", "metric", "method"])["value"]
    rows = []
    for classifier in CLASSIFIERS:
        for metric in METRICS:
            for method in methods:
                key = (classifier, metric, method)
                mean = float(ours.at[key, "mean"]) if key in ours.index else np.nan
                std = float(ours.at[key, "std"]) if key in ours.index else np.nan
                n = int(ours.at[key, "n_seeds"]) if key in ours.index else 0
                value = float(theirs.get((classifier, metric, VARIANT_METHODS.get(method, method)), np.nan))
                idle = no_rows_at(no_rows, dataset, method)[0] if no_rows is not None else 0
                rows.append({"dataset": dataset, "classifier": classifier, "metric": metric, "method": method,
                             "mean": mean, "std": std, "n_seeds": n, "paper": value, "diff": mean - value,
                             "n_no_rows": idle})
    table = pd.DataFrame(rows)
    by_row = table.groupby(["classifier", "metric"], sort=False)
    table["best"] = by_row["mean"].transform(_row_best).astype(bool)
    table["paper_best"] = by_row["paper"].transform(_row_best).astype(bool)
    return table[TABLE_COLUMNS]


def header_lines(dataset: str, provenance: dict, experiment: str, missing_reason: str | None) -> list[str]:
    """The lines under a table's title: data used, seeds, experiment, commits and dates of the records."""
    number = TABLES[dataset][1] if dataset in TABLES else None
    title = f"# Table {number}: {DATASET_LABELS.get(dataset, dataset)}" if number else f"# {dataset}"
    lines = [title, ""]
    if not provenance:
        lines += [
            f"**No records for this dataset in experiment `{experiment}` at r = {PAPER_RATIO}.** "
            + (missing_reason or "The experiment has not run it yet.")
            + " Only the paper's numbers are shown.",
            "",
        ]
        return lines
    variants = provenance["data_variant"]
    partial = [v for v in variants if v != "complete"]
    data = "; ".join(provenance["data_source"]) + " — " + "; ".join(variants)
    lines.append(("**PARTIAL DATA.** " if partial else "") + f"Data: {data}.")
    seeds = provenance["seeds_per_method"]
    counts = sorted(set(seeds.values()))
    if len(counts) == 1:
        lines.append(f"Seeds: {counts[0]} per method ({', '.join(map(str, provenance['seeds']))}); "
                     f"r = {PAPER_RATIO}; experiment `{experiment}`.")
    else:
        per = ", ".join(f"{label(m)} {n}" for m, n in seeds.items())
        lines.append(f"Seeds per method: {per}; r = {PAPER_RATIO}; experiment `{experiment}`.")
    commits = provenance["git_commit"] or ["unknown"]
    lines.append(f"Records: git commit {', '.join(f'`{c}`' for c in commits)}; finished "
                 f"{provenance['first_finished']} to {provenance['last_finished']}.")
    lines += [
        "Cells: mean ± sample standard deviation over seeds; **bold** = best mean of the row (as printed); "
        f"second line: the paper's Table {number} value (**bold** = the paper's best) and Δ = ours − paper.",
        "",
    ]
    return lines


def _cell_markdown(row) -> str:
    if row.n_seeds == 0:
        ours = "—"
    else:
        ours = f"{fmt(row['mean'])} ± {fmt(row['std'])}"
        ours = f"**{ours}**" if row.best else ours
    paper = fmt(row.paper)
    paper = f"**{paper}**" if row.paper_best else paper
    second = f"paper {paper}" + (f", Δ {fmt(row['diff'], signed=True)}" if row.n_seeds and not math.isnan(row.paper) else "")
    idle = no_rows_note(int(row.n_no_rows), int(row.n_seeds))
    return f"{ours}<br>{second}" + (f"<br>**{idle}**" if idle else "")


def _ablation_cell(row) -> str:
    if not row.n_seeds:
        return "—"
    idle = no_rows_note(int(row.n_no_rows), int(row.n_seeds))
    return f"{fmt(row['mean'])} ± {fmt(row['std'])}" + (f"<br>**{idle}**" if idle else "")


def render_markdown(table: pd.DataFrame, header: list[str], ablations: pd.DataFrame | None = None,
                    variants: pd.DataFrame | None = None, ablation_notes=()) -> str:
    """The paper-layout Markdown table (plus the ablation and variant blocks when they have rows).

    ``ablation_notes``: sentences printed under the ablation block (e.g. why two of its columns agree).
    """
    methods = list(dict.fromkeys(table["method"]))
    lines = list(header)
    lines.append("| Classifier | Metric | " + " | ".join(label(m) for m in methods) + " |")
    lines.append("|---|---|" + "---|" * len(methods))
    for (classifier, metric), group in table.groupby(["classifier", "metric"], sort=False):
        cells = [_cell_markdown(row) for _, row in group.iterrows()]
        lines.append(f"| {label(classifier)} | {label(metric)} | " + " | ".join(cells) + " |")
    if ablations is not None and (ablations["n_seeds"] > 0).any():
        lines += ["", "## Ablations at r = 0.01 (not in the paper's table)", "",
                  "Auto-only and cGAN appear in the paper only in Figures 3-4, Plain AE only in Figure 5. "
                  "Mean ± std over the same seeds; GL-GAN repeated for reference.", ""]
        ab_methods = list(dict.fromkeys(ablations["method"]))
        lines.append("| Classifier | Metric | " + " | ".join(label(m) for m in ab_methods) + " |")
        lines.append("|---|---|" + "---|" * len(ab_methods))
        for (classifier, metric), group in ablations.groupby(["classifier", "metric"], sort=False):
            cells = [_ablation_cell(r) for _, r in group.iterrows()]
            lines.append(f"| {label(classifier)} | {label(metric)} | " + " | ".join(cells) + " |")
        if ablation_notes:
            lines += ["", *ablation_notes]
    variant_rows = variants[variants["method"].isin(list(VARIANT_METHODS))] if variants is not None else None
    if variant_rows is not None and (variant_rows["n_seeds"] > 0).any():
        compared = ", ".join(f"{label(v)} with the paper's {label(m)}" for v, m in VARIANT_METHODS.items())
        lines += ["", "## Variants at r = 0.01 (not in the paper's table)", "",
                  "The same method run as its reference code behaved in 2020 (docs/REPRODUCTION.md §6.6, §7). "
                  f"The paper has no column of its own for a variant; the second line compares {compared}.", ""]
        va_methods = list(dict.fromkeys(variants["method"]))
        lines.append("| Classifier | Metric | " + " | ".join(label(m) for m in va_methods) + " |")
        lines.append("|---|---|" + "---|" * len(va_methods))
        plain = variants.assign(best=False, paper_best=False)
        for (classifier, metric), group in plain.groupby(["classifier", "metric"], sort=False):
            cells = [_cell_markdown(row) for _, row in group.iterrows()]
            lines.append(f"| {label(classifier)} | {label(metric)} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _tex_escape(text: str) -> str:
    return text.replace("_", r"\_").replace("%", r"\%").replace("&", r"\&")


def render_latex(table: pd.DataFrame, dataset: str, caption_note: str) -> str:
    """A booktabs table: per classifier x metric one row with ours (mean ± std) and one with the paper."""
    methods = list(dict.fromkeys(table["method"]))
    number = TABLES.get(dataset, (None, "?"))[1]
    lines = [
        r"% Generated by scripts/make_report.py; needs \usepackage{booktabs}.",
        r"\begin{table*}[t]",
        r"\centering\small",
        rf"\caption{{Table {number} reproduced: {DATASET_LABELS.get(dataset, dataset)}. "
        + _tex_escape(caption_note) + "}",
        r"\begin{tabular}{ll" + "c" * len(methods) + "}",
        r"\toprule",
        "Classifier & Metric & " + " & ".join(label(m) for m in methods) + r" \\",
        r"\midrule",
    ]
    for (classifier, metric), group in table.groupby(["classifier", "metric"], sort=False):
        ours, paper = [], []
        for _, row in group.iterrows():
            if row.n_seeds:
                mean = rf"\mathbf{{{fmt(row['mean'])}}}" if row.best else fmt(row["mean"])
                ours.append(rf"${mean} \pm {fmt(row['std'])}$".replace("—", "-"))
            else:
                ours.append("--")
            value = fmt(row.paper).replace("—", "--")
            paper.append(rf"\textbf{{{value}}}" if row.paper_best else value)
        lines.append(f"{label(classifier)} & {label(metric)} & " + " & ".join(ours) + r" \\")
        lines.append(r" & \quad\textit{paper} & " + " & ".join(rf"\scriptsize {p}" for p in paper) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table*}"]
    return "\n".join(lines) + "\n"


def write_dataset_table(out_dir: Path, dataset: str, summary: pd.DataFrame, paper: pd.DataFrame,
                        provenance: dict, experiment: str, missing_reason: str | None = None,
                        no_rows: pd.DataFrame | None = None, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Write ``<stem>.md``, ``.csv`` and ``.tex`` for ``dataset``; return the tidy table.

    ``no_rows`` (:func:`glgan.report.no_rows.no_rows_runs`) marks the cells of samplers that generated no
    rows on some seeds; ``scores`` (:func:`glgan.report.records.long_scores`) lets the ablation block say
    which of its methods agree seed by seed.
    """
    stem = TABLES[dataset][0]
    table = table_frame(summary, paper, dataset, no_rows=no_rows)
    ablation_methods = (*ABLATION_METHODS, REFERENCE_METHOD)
    ablations = table_frame(summary, paper, dataset, methods=ablation_methods, no_rows=no_rows)
    # each variant beside the paper method it varies (SWIM (published code) next to SWIM)
    variant_columns = tuple(dict.fromkeys(m for v, base in VARIANT_METHODS.items() for m in (base, v)))
    variants = table_frame(summary, paper, dataset, methods=variant_columns, no_rows=no_rows)
    header = header_lines(dataset, provenance, experiment, missing_reason)
    idle = no_rows_lines(no_rows, dataset) if no_rows is not None else []
    if idle:
        header = [*header[:-1], *idle, ""]
    same = identical_lines(scores, dataset, ablation_methods) if scores is not None else []
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{stem}.md").write_text(render_markdown(table, header, ablations, variants, same))
    extra = ablations[ablations["method"] != REFERENCE_METHOD].assign(best=False, paper_best=False)
    variant_extra = variants[variants["method"].isin(list(VARIANT_METHODS))].assign(best=False, paper_best=False)
    csv = pd.concat([table.assign(block="paper_table"), extra.assign(block="ablation"),
                     variant_extra.assign(block="variant")], ignore_index=True)
    csv.insert(1, "experiment", experiment)
    csv.to_csv(out_dir / f"{stem}.csv", index=False, float_format="%.6f")
    note = " ".join(line for line in header[2:] if line).replace("**", "").replace("`", "")
    (out_dir / f"{stem}.tex").write_text(render_latex(table, dataset, note))
    return table
