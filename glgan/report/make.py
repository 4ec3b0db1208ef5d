"""Everything ``scripts/make_report.py`` writes, from the results store of one experiment.

Layout under ``out_dir``: ``tables/`` (Tables 2-6, significance, ranks, interleaving), ``figures/``
(Figures 3-6, CD diagram) and ``README.md`` (claims, embedded tables, figures). Outputs depend only on
the records and on deterministic sampler re-runs (cached), never on the current time.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from glgan.experiment.derived import cgan_histories, derive, mnist_images
from glgan.experiment.held import DataStatus, check_dataset
from glgan.experiment.plan import Plan
from glgan.report import claims as claims_module
from glgan.report import figures, paper_gap, stats, summary
from glgan.report.claim_caveats import add_caveats
from glgan.report.labels import (
    FIGURE_METHODS,
    PAPER_RATIO,
    R_FIGURES,
    TABLE_METHODS,
    TABLES,
    label,
)
from glgan.report.lead import head_to_head, lead_lines
from glgan.report.no_rows import no_rows_runs
from glgan.report.records import at_ratio, load_paper, load_records, long_scores, provenance, summarize
from glgan.report.tables import write_dataset_table

log = logging.getLogger("glgan.report")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
PAPER_CSV = PROJECT_ROOT / "results" / "paper" / "paper_tables.csv"


def default_out_dir(experiment: str, results_root: Path = PROJECT_ROOT / "results") -> Path:
    """``results/`` for the paper experiment, ``results/<experiment>/`` for any other (quick never overwrites)."""
    return results_root if experiment == "paper" else results_root / experiment


def _embedded(text: str) -> str:
    """A table's Markdown for embedding in the README: title dropped, headings demoted two levels."""
    body = text.split("\n", 1)[1] if text.startswith("# ") else text
    return re.sub(r"^(#+) ", lambda m: "#" * (len(m.group(1)) + 2) + " ", body, flags=re.MULTILINE)


def rank_sets(summ: pd.DataFrame, paper: pd.DataFrame) -> tuple[pd.DataFrame, dict, pd.Series | None]:
    """Average ranks of the eight table methods: ours, the paper's on our datasets, the paper's on all."""
    ours = stats.complete_blocks(at_ratio(summ, PAPER_RATIO), TABLE_METHODS)
    paper_summary = paper.rename(columns={"value": "mean"}).assign(ratio=PAPER_RATIO)
    methods = list(ours.columns) if len(ours) else TABLE_METHODS  # the paper ranked on the same methods
    theirs_all = stats.complete_blocks(paper_summary, methods)
    datasets = set(ours.index.get_level_values("dataset")) if len(ours) else set()
    theirs_same = theirs_all[theirs_all.index.get_level_values("dataset").isin(datasets)]
    columns, tests = {}, {}
    for name, blocks in (("ours", ours), ("paper, same datasets", theirs_same), ("paper, all tables", theirs_all)):
        if len(blocks) < 2:
            continue
        columns[name] = stats.rank_matrix(blocks).mean()
        test = stats.friedman(blocks)
        test["cd"] = stats.nemenyi_cd(blocks.shape[1], len(blocks))
        tests[name] = test
    ranks = pd.DataFrame(columns).reindex(TABLE_METHODS) if columns else pd.DataFrame()
    ours_ranks = columns.get("ours")
    return ranks, tests, ours_ranks


def make_report(plan: Plan, runs_dir: Path, out_dir: Path, *, paper_csv: Path = PAPER_CSV,
                reasons_yaml: Path = paper_gap.REASONS_YAML, data_dir=None,
                samplers: bool = True, statuses: dict[str, DataStatus] | None = None,
                cache_dir: Path | None = None, jobs: int = 1) -> list[claims_module.Claim]:
    """Write every table, figure and the summary for ``plan.experiment``; return the evaluated claims.

    ``statuses`` (from :func:`glgan.experiment.held.check_dataset`) explains datasets without records; missing
    entries are checked here. ``samplers=False`` skips the sampler re-runs (interleaving, Figures 5-6),
    reusing whatever is cached.
    """
    experiment = plan.experiment
    reasons = paper_gap.load_reasons(reasons_yaml)  # a malformed reasons file fails before any work
    statuses = dict(statuses or {})
    tables_dir, figures_dir = out_dir / "tables", out_dir / "figures"
    cache_dir = cache_dir or runs_dir.parent / "derived" / experiment
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        records = load_records(runs_dir / experiment)
    notes = [str(w.message) for w in caught]
    records = only_planned(records, _whole_plan(plan), runs_dir / experiment)
    scores = long_scores(records)
    summ = summarize(scores)
    paper = load_paper(paper_csv)
    no_rows = no_rows_runs(records)

    def status(name: str) -> DataStatus:
        if name not in statuses:
            statuses[name] = check_dataset(name, data_dir)
        return statuses[name]

    # Tables 2-6
    table_texts, complete = {}, {}
    for dataset in TABLES:
        dataset_records = at_ratio(records[records["dataset"] == dataset], PAPER_RATIO) if len(records) else records
        reason = None if len(dataset_records) else status(dataset).line
        prov = provenance(dataset_records)
        write_dataset_table(tables_dir, dataset, summ, paper, prov, experiment, reason, no_rows=no_rows,
                            scores=scores)
        table_texts[dataset] = (tables_dir / f"{TABLES[dataset][0]}.md").read_text()
        if prov:
            complete[dataset] = prov["data_variant"] == ["complete"]
    log.info("tables written to %s", tables_dir)

    # Distance to the paper
    # the reasons were written for the paper experiment's records; another experiment's misses show unexplained
    reasons = reasons if experiment == "paper" else []
    n_test = records.groupby("dataset")["n_test"].first().astype(int).to_dict() if "n_test" in records else {}
    gaps = paper_gap.baseline_gaps(summ, paper, list(complete), reasons, no_rows=no_rows, n_test=n_test,
                                   complete=complete)
    gaps.to_csv(tables_dir / "paper_gap.csv", index=False, float_format="%.6g")
    (tables_dir / "paper_gap.md").write_text(
        paper_gap.gap_markdown(gaps, complete, experiment, header=summary.GENERATED, reasons=reasons))

    # Figures 3-4
    figure_list = []
    for dataset, (stem, number) in R_FIGURES.items():
        rows = summ[(summ["dataset"] == dataset) & (summ["classifier"] == "adaboost") & (summ["metric"] == "mcc")]
        rows = rows[rows["ratio"].isin(plan.figure_ratios) | np.isclose(rows["ratio"], PAPER_RATIO)] \
            if len(rows) else rows
        reason = None if len(rows) else status(dataset).line
        figures.mcc_vs_r(rows, dataset, number, FIGURE_METHODS, figures_dir / stem, experiment=experiment,
                         missing_reason=reason, data_held=None if len(rows) else status(dataset).held)
        figure_list.append((f"Figure {number}: AdaBoost MCC vs r, {label(dataset)}", f"figures/{stem}.png"))

    # Statistics
    at_paper_ratio = at_ratio(scores, PAPER_RATIO)
    wilcoxon = stats.wilcoxon_table(at_paper_ratio)
    tables_dir.mkdir(parents=True, exist_ok=True)
    wilcoxon.to_csv(tables_dir / "significance.csv", index=False, float_format="%.6g")
    (tables_dir / "significance.md").write_text(summary.significance_markdown(wilcoxon, experiment))
    ranks, tests, our_ranks = rank_sets(summ, paper)
    ranks.rename_axis("method").to_csv(tables_dir / "ranks.csv", float_format="%.4f")
    (tables_dir / "ranks.md").write_text(summary.ranks_markdown(ranks, tests, experiment))
    if our_ranks is not None:
        figures.cd_diagram(our_ranks, tests["ours"]["cd"], tests["ours"]["n_blocks"], figures_dir / "cd_diagram",
                           title=f"Average ranks of the paper's eight methods, experiment '{experiment}'")
    else:
        figures.save(figures._message_figure("Critical-difference diagram", "Fewer than two complete blocks "
                                             f"(all eight methods) in experiment '{experiment}'."),
                     figures_dir / "cd_diagram")
    cd_entry = ("Critical-difference diagram (average ranks, Nemenyi)", "figures/cd_diagram.png")

    # Sampler re-runs: interleaving and MNIST figures
    interleave_rows = pd.DataFrame()
    if samplers:
        held = {}
        for name in plan.interleaving_datasets:
            s = status(name)
            if s.held:
                from glgan.data import load_dataset

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)  # the partial-data warning; the table says so
                    held[name] = (load_dataset(name, data_dir, allow_partial=s.partial, download=False), s.overrides)
        interleave_rows = derive(experiment, held, plan.methods, plan.interleaving_seeds, cache_dir, n_jobs=jobs)
        if "cgan" in plan.methods:  # cGAN's loss curves under its convergence rule
            gan_data = {d: v for d, v in held.items() if d != "mnist"}
            seed = plan.interleaving_seeds[0] if plan.interleaving_seeds else 0
            figures.gan_loss_curves(cgan_histories(experiment, gan_data, seed, cache_dir),
                                    figures_dir / "cgan_loss_curves",
                                    title=f"cGAN training losses at r = {PAPER_RATIO}, seed {seed}, "
                                          f"experiment '{experiment}'")
            figure_list.append(("cGAN training losses (D and G) per dataset", "figures/cgan_loss_curves.png"))
    inter = summary.interleaving_summary(interleave_rows)
    if len(interleave_rows):
        interleave_rows.to_csv(tables_dir / "interleaving.csv", index=False, float_format="%.6g")
    (tables_dir / "interleaving.md").write_text(summary.interleaving_markdown(inter, experiment))
    figure_list += [*_mnist_figures(plan, figures_dir, cache_dir, status), cd_entry]

    # Claims and README
    evaluated = claims_module.evaluate(summ, paper, inter, wilcoxon, our_ranks)
    add_caveats(evaluated, no_rows, set(records["dataset"]) if len(records) else set())
    overview = _overview(records, experiment, [status(d) for d in TABLES if d in statuses], plan)
    readme = summary.readme_markdown(
        experiment=experiment, overview=overview, claims=evaluated,
        lead=lead_lines(records, summ, our_ranks, evaluated),
        tables={d: _embedded(t) for d, t in table_texts.items()}, figures=figure_list, notes=notes,
        paper_gap=paper_gap.target_line(gaps, complete))
    (out_dir / "README.md").write_text(readme)
    write_headline(tables_dir, records, summ, our_ranks, evaluated, gaps, complete)
    log.info("report written to %s", out_dir)
    return evaluated


def write_headline(tables_dir: Path, records, summ, ranks, evaluated, gaps, complete) -> None:
    """``tables/headline.json`` and ``tables/claims.csv``: the figures README.md's generated blocks state."""
    duel = head_to_head(summ, "glgan", "smote") if len(summ) else {"n": 0}
    counted = gaps[gaps["dataset"].map(lambda d: complete.get(d, False))] if len(gaps) else gaps
    partial = sorted(d for d, whole in complete.items() if not whole)
    headline = {"glgan_vs_smote": duel, "partial_datasets": partial,
                "cpus": sorted(set(records["cpu"].dropna())) if "cpu" in records else [],
                "mean_rank": {} if ranks is None else {m: round(float(r), 4) for m, r in ranks.items()},
                "baselines_within": {"k": int(counted["within"].sum()) if len(counted) else 0, "n": len(counted),
                                     "tolerance": paper_gap.TOLERANCE}}
    (tables_dir / "headline.json").write_text(json.dumps(headline, indent=1, sort_keys=True, default=float) + "\n")
    pd.DataFrame([{"key": c.key, "claim": c.claim, "source": c.source, "verdict": c.verdict, "evidence": c.evidence}
                  for c in evaluated]).to_csv(tables_dir / "claims.csv", index=False)


def _whole_plan(plan: Plan) -> Plan:
    """The experiment's plan before any ``restrict`` (which narrows the sampler re-runs, not the tables)."""
    from glgan.experiment.plan import load_plan

    try:
        return load_plan(plan.experiment)
    except (FileNotFoundError, ValueError):
        return plan


def only_planned(records: pd.DataFrame, plan: Plan, store_root: Path) -> pd.DataFrame:
    """The records of the cells ``plan`` runs; any other record file in the store is named and ignored.

    Ad-hoc runs (another ratio, seed or method) written into an experiment's store never reach its tables.
    """
    if records.empty:
        return records
    keep = np.array([plan.includes(d, m, float(r), int(s)) for d, m, r, s in
                     zip(records["dataset"], records["method"], records["ratio"], records["seed"])], dtype=bool)
    others = sorted(set(records.loc[~keep, "record_file"]))
    if others:
        log.warning("%d record file(s) under %s are not in the plan of experiment '%s' and are ignored: %s%s",
                    len(others), store_root, plan.experiment, ", ".join(others[:10]),
                    f" (+{len(others) - 10} more)" if len(others) > 10 else "")
    return records.loc[keep].reset_index(drop=True)


def _mnist_figures(plan: Plan, figures_dir: Path, cache: Path, status) -> list[tuple[str, str]]:
    seed = plan.interleaving_seeds[0] if plan.interleaving_seeds else 0
    if "mnist" not in plan.interleaving_datasets:
        return []
    panels = {m: mnist_images(cache, plan.experiment, m, seed) for m in ("plain_ae", "auto_only", "smote", "glgan")}
    real = next((p["real_minority"] for p in panels.values() if p is not None), None)
    reason = None if real is not None or status("mnist").held else status("mnist").line
    note = f" [{reason}]" if reason else ""

    def grid(method):
        return panels[method]["synthetic"] if panels[method] is not None else None

    out = []
    for stem, number, left, right in (("fig5_mnist_ae", 5, "plain_ae", "auto_only"),
                                      ("fig6_mnist_smote_vs_glgan", 6, "smote", "glgan")):
        names = {"plain_ae": "(a) traditional AE (Plain AE)", "auto_only": "(b) AE of GL-GAN (Auto-only)",
                 "smote": "(a) SMOTE (pixel space)", "glgan": "(b) GL-GAN"}
        figures.image_panels(
            [(names[left], grid(left)), (names[right], grid(right)), ("real training 7s (reference)", real)],
            figures_dir / stem,
            title=f"Figure {number} reproduced: generated 7s, MNIST 4 vs 7, r = 0.01, seed {seed}, "
                  f"experiment '{plan.experiment}'{note}")
        out.append((f"Figure {number}: generated MNIST 7s, {label(left)} vs {label(right)}", f"figures/{stem}.png"))
    return out


def _overview(records: pd.DataFrame, experiment: str, statuses: list[DataStatus], plan: Plan) -> list[str]:
    lines = []
    if records.empty:
        lines.append(f"**The store of experiment `{experiment}` has no records yet**; the tables below show the "
                     "paper's numbers only.")
    else:
        prov = provenance(records)
        runs = records.drop_duplicates(["dataset", "method", "ratio", "seed"])
        lines.append(f"{len(runs)} runs ({len(records)} classifier records) over datasets "
                     f"{', '.join(sorted(set(records['dataset'])))}; seeds {prov['seeds'][0]}-{prov['seeds'][-1]}; "
                     f"ratios {', '.join(f'{r:g}' for r in prov['ratios'])}.")
        lines.append(f"Records from git commit(s) {', '.join(f'`{c}`' for c in prov['git_commit']) or 'unknown'}, "
                     f"finished {prov['first_finished']} to {prov['last_finished']}.")
        partial = [v for v in prov["data_variant"] if v != "complete"]
        if partial:
            lines.append(f"**Partial data**: {'; '.join(partial)} (see the table headers).")
    missing = [s.line for s in statuses if not s.held]
    if missing:
        lines.append("Datasets not held here (their tables show the paper's numbers only): "
                     + "; ".join(missing) + ".")
    if experiment != "paper":
        lines.append(f"This is the `{experiment}` experiment: fewer seeds and shortened training, a smoke test of "
                     "the pipeline, not a reproduction. The full results are in `results/README.md`.")
    return lines
