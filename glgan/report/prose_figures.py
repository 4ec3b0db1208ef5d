"""Every figure README.md and the key paragraphs of docs/REPRODUCTION.md state, with the file it summarises.

An entry is ``figure(doc, template, source, **values)``: ``template`` is the document's exact text with
``{name}`` where a number stands (``{{``/``}}`` for a literal brace), ``source`` the file the numbers come
from, and ``values[name]`` a function computing the number, as printed, from that file
(:mod:`glgan.report.prose_values`). :func:`glgan.report.prose_check.stale_figures` renders each template and
reports those the document does not contain. To add a figure: write the sentence, copy its text here with
the number replaced by ``{name}``, and give the function that reads it from its source.
"""

from __future__ import annotations

import math

from glgan.report.prose_sources import cell, csv, group, json_list, md_table, num, record_field
from glgan.report.prose_values import (
    BENCH, DEV, DOCS, EVAL, GAP, LOG, PAPER, README, RESULTS, THREADS, USPS,
    bench_beyond_mib, benchmark_cpu_minutes, bench_bytes_per_row, bench_seconds, bench_synthetic_seconds, profile_share, claim_number, figure, gap_counts, gap_verdicts, gas,
    mean_mcc, mean_rank, no_rows_usps, quality, reproduce_minutes, reproduce_rerun, reproduce_runs, reproduce_stored, sampler_seconds,
    spread_range, targets, threads, threads_busy, usps,
)

_EVAL_MD, _DEV_MD = f"{EVAL}/README.md", f"{DEV}/README.md"


def _gap_share() -> str:
    k, n = gap_counts()
    return f"{k} of {n} ({num(100 * k / n, 0)} %)"


def _madelon_bound() -> str:
    """The bound on |mean MCC| over every Madelon cell, rounded up to two decimals."""
    worst = csv("results/tables/table5_madelon.csv").query("metric == 'mcc'")["mean"].abs().max()
    return f"{math.ceil(worst * 100 - 1e-9) / 100:.2f}"


def _one_row_cells() -> str:
    """How many of the paper's Madelon MCC cells are ±1/√519 (one test row of 520 flipped), as a word."""
    paper = csv(PAPER)
    madelon = paper[(paper["dataset"] == "madelon") & (paper["metric"] == "mcc")]
    n = int((madelon["value"].abs().round(4) == round(1 / 519 ** 0.5, 4)).sum())
    return {3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven"}.get(n, str(n))


def _targets_held(column: str) -> str:
    """Eval sets on which GL-GAN meets one sample-quality target against SMOTE (the targets table's column)."""
    table = md_table(_EVAL_MD, "### Sample-quality targets")
    return str(int((table[column] == "yes").sum()))


def _n_classifiers(readme: str) -> int:
    return len(group(readme, r"the classifiers \(([^;]+);").split(", "))


def _cells() -> str:
    """The eval list's (set, classifier) MCC cells: sets times classifiers."""
    return str(_n_classifiers(_EVAL_MD) * int(_n_sets(_EVAL_MD)))


def _answer(classifier: str, comparison: str, verdict: str) -> str:
    """The numbers of one verdict in the eval report's answer section, e.g. "SMOTE 0.589 vs 0.552"."""
    return group(_EVAL_MD, rf"^\* \*\*{classifier}\*\*: [^\n]*?{comparison}: {verdict} \(([^,]+),")


def _wall(path: str) -> str:
    return num(sum(t["wall_seconds"] for t in json_list(path)) / 60, 0)


def _runs(path: str) -> str:
    return str(sum(t["runs"] for t in json_list(path)))


def _n_sets(readme: str) -> str:
    return group(readme, r"\* Sets \((\d+):")


def _n_methods(readme: str) -> str:
    return str(len(group(readme, r"\* Methods: ([^.]+)\.").split(", ")))


def _quality_held() -> str:
    return group(_EVAL_MD, r"### Sample-quality targets .*?held on (\d+ of \d+) sets")


def _target(set_name: str, i: int) -> str:
    return targets(set_name)[i]


def _cpu_share(pattern: str) -> str:
    return group(_EVAL_MD, pattern)


FIGURES = [
    # README, "Two commands"
    figure(README, "then results/tables and results/figures (last run: {m} min on 2 cores, {k} of its {runs} runs\n"
           "already stored)", LOG, m=reproduce_minutes, k=reproduce_stored, runs=reproduce_runs),
    # README, "Use GL-GAN": the paper variant's collapse and the threads
    figure(README, "their spread is {r} of\nthe real minority's on the {n} KEEL dev sets", "results/runs/benchmark-dev",
           r=lambda: spread_range("glgan_paper"), n=lambda: _n_sets(_DEV_MD)),
    figure(README, "up to {x}× slower beside other busy processes", THREADS,
           x=lambda: num(max(threads("None (torch default)", "ratio to reference")), 1)),
    # README, "Results"
    figure(README, "the training budget): {runs} runs,\n{redo} of them run by this invocation and {k} kept from an "
           "earlier one: {m} min with the report.", LOG,
           runs=reproduce_runs, redo=reproduce_rerun, k=reproduce_stored, m=reproduce_minutes),
    figure(README, "GL-GAN MLP MCC {m} ± {s} (paper {p}), LinearSVC {l} (paper {lp}), AdaBoost\n  {a} (paper {ap})",
           USPS, m=usps("glgan", "mlp"), s=usps("glgan", "mlp", column="std"), p=usps("glgan", "mlp", column="paper"),
           l=usps("glgan", "linear_svc"), lp=usps("glgan", "linear_svc", column="paper"), a=usps("glgan", "adaboost"),
           ap=usps("glgan", "adaboost", column="paper")),
    figure(README, "with MLP and LinearSVC ({m}, {l}) and\n  lower with AdaBoost ({a})", USPS,
           m=usps("glgan_paper", "mlp"), l=usps("glgan_paper", "linear_svc"), a=usps("glgan_paper", "adaboost")),
    figure(README, "SMOTE {s} (paper {p}); the corrected SWIM leads ({w};", USPS, s=usps("smote", "mlp"),
           p=usps("smote", "mlp", column="paper"), w=usps("swim", "mlp")),
    figure(README, "rank-deficient majority, {v} — the paper's {p} stays unexplained)", USPS,
           v=usps("swim_published", "mlp"), p=usps("swim", "mlp", column="paper")),
    figure(README, "(now {k} of {n} baseline cells within ±0.05;", GAP,
           k=lambda: str(gap_counts("usps", "adaboost")[0]), n=lambda: str(gap_counts("usps", "adaboost")[1])),
    figure(README, "Rerun on {d} with the frozen defaults", RESULTS,
           d=lambda: group(RESULTS, r"finished (\d{4}-\d\d-\d\d)T", 0)),
    figure(README, "on USPS's {n} minority digits", "results/runs/paper/usps",
           n=lambda: record_field("results/runs/paper/usps/imbalanced/r0.01/*.json", "n_train_minority")),
    figure(README, "(partial: {a} majority / {b} minority training rows instead of 1549/15)", "results/runs/paper/gas_drift",
           a=lambda: record_field("results/runs/paper/gas_drift/imbalanced/r0.01/*.json", "n_train_majority"),
           b=lambda: record_field("results/runs/paper/gas_drift/imbalanced/r0.01/*.json", "n_train_minority")),
    figure(README, "every method stays at chance (|MCC| ≤ {b})", "results/tables/table5_madelon.csv", b=_madelon_bound),
    figure(README, "GL-GAN now helps\n  (MLP MCC {m}, LinearSVC {l}; the paper variant {pm} and {pl}", "results/tables/table4_gas_drift.csv",
           m=gas("glgan", "mlp"), l=gas("glgan", "linear_svc"), pm=gas("glgan_paper", "mlp"), pl=gas("glgan_paper", "linear_svc")),
    figure(README, "level with Random and SMOTE ({lo}-{hi}); SWIM {w}.", "results/tables/table4_gas_drift.csv",
           lo=lambda: min(gas("random", "mlp", 2)(), gas("smote", "mlp", 2)()),
           hi=lambda: max(gas("random", "mlp", 2)(), gas("smote", "mlp", 2)()), w=gas("swim", "mlp", 2)),
    figure(README, "not held** ({k} of {n} cells; SWIM {w})", RESULTS,
           k=claim_number(r"GL-GAN best in (\d+) of \d+ cells"), n=claim_number(r"GL-GAN best in \d+ of (\d+) cells"),
           w=claim_number(r"other wins: SWIM (\d+)")),
    figure(README, "within ±0.05 of the paper: {share}.", GAP, share=_gap_share),
    figure(README, "Of the {n} baseline misses, {v} have a reason whose stated facts the report checks on the records\n"
           "  (verified) and {p} a plausible one", GAP, n=lambda: gap_verdicts(""), v=lambda: gap_verdicts("verified"),
           p=lambda: gap_verdicts("plausible")),
    figure(README, "NRAS generated\n  no rows on {k} USPS seeds", USPS, k=lambda: no_rows_usps("nras")),
    figure(README, "{n} of the paper's Madelon MCC\n  cells are exactly ±1/√519", PAPER, n=_one_row_cells),
    figure(README, "(`make bench`, {m} min, rerun at {c} with the\ntraining budget)", BENCH,
           m=lambda: num(float(group(BENCH, r"the benchmark took ([\d.]+) min")), 0),
           c=lambda: group(BENCH, r"Git commit: `(\w{7})")),
    figure(README, "GL-GAN fits the USPS split in {g} s, against {p} s for the paper variant and {s} s for\nSMOTE",
           BENCH, g=lambda: num(bench_seconds("usps", "glgan"), 1), p=lambda: num(bench_seconds("usps", "glgan_paper"), 1),
           s=lambda: num(bench_seconds("usps", "smote"), 2)),
    figure(README, "On synthetic data (d = 50) it takes {a} s, {b} s and {c} s at 10^4, 10^5 and\n10^6 majority rows",
           BENCH, a=lambda: bench_synthetic_seconds("glgan", "10,000"),
           b=lambda: bench_synthetic_seconds("glgan", "100,000"), c=lambda: bench_synthetic_seconds("glgan", "1,000,000")),
    figure(README, "its memory beyond the data reaches {m} MiB at 10^6, {g} bytes per row\nagainst SMOTE's {s}", BENCH,
           m=lambda: bench_beyond_mib("1,000,000"), g=lambda: bench_bytes_per_row("glgan"),
           s=lambda: bench_bytes_per_row("smote")),
    figure(README, "Measured at {c} on the USPS split:", THREADS, c=lambda: group(THREADS, r"Commit: `(\w{7})")),
    figure(README, "the default stays within {lo}-{hi}× of a pinned thread in every case, while torch's default is {x}×"
           " slower\nbeside one or two busy processes ({a} s and {b} s against {c}-{d} s)", THREADS,
           lo=lambda: num(min(threads("default (1)", "ratio to reference")), 2),
           hi=lambda: num(max(threads("default (1)", "ratio to reference")), 2),
           x=lambda: num(max(threads("None (torch default)", "ratio to reference")), 1),
           a=lambda: num(threads_busy("None (torch default)")[0], 0), b=lambda: num(threads_busy("None (torch default)")[1], 0),
           c=lambda: num(min(threads_busy("default (1)")), 0), d=lambda: num(max(threads_busy("default (1)")), 0)),
    # README, "KEEL benchmark": dev list
    figure(README, "{s} sets, {k} methods, {r} runs,\n  {m} min)", _DEV_MD, s=lambda: _n_sets(_DEV_MD),
           k=lambda: _n_methods(_DEV_MD), r=lambda: _runs(f"{DEV}/timing.json"), m=lambda: _wall(f"{DEV}/timing.json")),
    figure(README, "keep the minority's spread on all {s} sets\n  ({g} of the real spread; the paper variant {p})",
           "results/runs/benchmark-dev", s=lambda: _n_sets(_DEV_MD), g=lambda: spread_range("glgan"),
           p=lambda: spread_range("glgan_paper")),
    figure(README, "its mean MCC rank is {g} of {k}, ahead of\n  SMOTE ({s}) and the paper variant ({p}), behind "
           "polynom-fit-SMOTE ({pf}), MDO ({mdo}) and Plain AE ({ae})", f"{DEV}/tables/mean_ranks.csv",
           g=lambda: mean_rank(DEV, "glgan"), k=lambda: _n_methods(_DEV_MD), s=lambda: mean_rank(DEV, "smote"),
           p=lambda: mean_rank(DEV, "glgan_paper"), pf=lambda: mean_rank(DEV, "polynom_fit_smote_star"),
           mdo=lambda: mean_rank(DEV, "mdo"), ae=lambda: mean_rank(DEV, "plain_ae")),
    # README, "KEEL benchmark": eval list
    figure(README, "{s} sets, {r} runs, {m} min on {w} workers,\n  {f} failed; run at {c}", f"{EVAL}/timing.json",
           s=lambda: _n_sets(_EVAL_MD), r=lambda: _runs(f"{EVAL}/timing.json"), m=lambda: _wall(f"{EVAL}/timing.json"),
           w=lambda: str(json_list(f"{EVAL}/timing.json")[0]["jobs"]),
           f=lambda: str(sum(t["failed"] for t in json_list(f"{EVAL}/timing.json"))),
           c=lambda: group(_EVAL_MD, r"commit: `(\w{7})")),
    figure(README, "GL-GAN's mean MCC rank is {g} of {k}; mean MCC {m}.", f"{EVAL}/tables/mean_ranks.csv",
           g=lambda: mean_rank(EVAL, "glgan"), k=lambda: _n_methods(_EVAL_MD), m=lambda: mean_mcc("glgan")),
    figure(README, "**behind SMOTE** ({r}, {m}; GL-GAN wins {wtl} cells), polynom-fit-SMOTE ({pf}),\n    "
           "SMOTE-IPF ({ipf}) and ProWSyn ({pw})", f"{EVAL}/tables/", r=lambda: mean_rank(EVAL, "smote"),
           m=lambda: mean_mcc("smote"), wtl=lambda: _wtl("smote"), pf=lambda: mean_rank(EVAL, "polynom_fit_smote_star"),
           ipf=lambda: mean_rank(EVAL, "smote_ipf"), pw=lambda: mean_rank(EVAL, "prowsyn")),
    figure(README, "level with its own ablations Auto-only ({a}) and Plain AE ({p}).", f"{EVAL}/tables/mean_ranks.csv",
           a=lambda: mean_rank(EVAL, "auto_only"), p=lambda: mean_rank(EVAL, "plain_ae")),
    figure(README, "the paper variant ({r}, {m}; {wtl}), Imbalanced ({ri}, {mi})", f"{EVAL}/tables/",
           r=lambda: mean_rank(EVAL, "glgan_paper"), m=lambda: mean_mcc("glgan_paper"),
           wtl=lambda: _wtl("glgan_paper", "/"), ri=lambda: mean_rank(EVAL, "imbalanced"), mi=lambda: mean_mcc("imbalanced")),
    figure(README, "In mean MCC GL-GAN {g}, Auto-only {a}, Plain AE {p}:", f"{EVAL}/tables/metrics_overview.csv",
           g=lambda: mean_mcc("glgan"), p=lambda: mean_mcc("plain_ae"), a=lambda: mean_mcc("auto_only")),
    figure(README, "beats the tuned threshold with all\n    four classifiers (with LightGBM: {l}), and class weights "
           "only with MLP ({m});", _EVAL_MD, l=lambda: _answer("LightGBM", "MCC vs tuned threshold", r"\*\*yes\*\*"),
           m=lambda: _answer("MLPClassifier", "MCC vs class weights", r"\*\*yes\*\*")),
    figure(README, "the tuned\n    threshold, as run here on an inner 25 % split, ranks {r} of {k}.", f"{EVAL}/tables/mean_ranks.csv",
           r=lambda: mean_rank(EVAL, "threshold"), k=lambda: _n_methods(_EVAL_MD)),
    figure(README, "Sample quality, GL-GAN against SMOTE, holds on {h} sets", _EVAL_MD, h=_quality_held),
    figure(README, "CM1 misses on cover and near-majority ({c} vs {cs}\n    and {n} vs {ns}), abalone-19 on near-majority "
           "({an} vs {ans}), glass2 on cover ({g} vs {gs})", _EVAL_MD, c=lambda: _target("CM1", 1),
           cs=lambda: _target("CM1", 4), n=lambda: _target("CM1", 2), ns=lambda: _target("CM1", 5),
           an=lambda: _target("abalone-19_vs_10-11-12-13", 2), ans=lambda: _target("abalone-19_vs_10-11-12-13", 5),
           g=lambda: _target("glass2", 1), gs=lambda: _target("glass2", 4)),
    figure(README, "The paper variant's mean spread is {s}, a collapse.", _EVAL_MD,
           s=lambda: num(float(quality("GL-GAN (paper variant)", "spread_ratio")), 2)),
    figure(README, "GL-GAN {x}× the paper variant ({g} s against {p} s per fold); SMOTE {s} s.",
           f"{EVAL}/tables/sampler_seconds.csv", x=lambda: num(sampler_seconds("glgan") / sampler_seconds("glgan_paper"), 2),
           g=lambda: num(sampler_seconds("glgan"), 1), p=lambda: num(sampler_seconds("glgan_paper"), 1),
           s=lambda: num(sampler_seconds("smote"), 3)),
    figure(README, "sylva (13k × 216), {s} % of the CPU time; samplers {a} %, MLP {m} %, AdaBoost {b} %.", _EVAL_MD,
           s=lambda: _cpu_share(r"\*\*sylva\*\*, takes (\d+)%"), a=lambda: _cpu_share(r"\(sampler (\d+)%"),
           m=lambda: _cpu_share(r"MLPClassifier (\d+)%"), b=lambda: _cpu_share(r"AdaBoost (\d+)%")),
    # docs/REPRODUCTION.md §17, the eval run's cost
    figure(DOCS, "2125 runs, 0 failed, {m} min of wall time on 2 workers and\n{c} CPU min in the records",
           f"{EVAL}/timing.json", m=lambda: _wall(f"{EVAL}/timing.json"),
           c=lambda: benchmark_cpu_minutes("results/runs/benchmark", "total")),
    figure(DOCS, "took {a} CPU min of it ({p} %)", "results/runs/benchmark",
           a=lambda: benchmark_cpu_minutes("results/runs/benchmark", "additions"),
           p=lambda: benchmark_cpu_minutes("results/runs/benchmark", "share")),
    # docs/REPRODUCTION.md, key figures (§15 target status, §16 targets and results)
    # docs/REPRODUCTION.md §12, the training budget
    figure(DOCS, "`make bench` at {c}: GL-GAN took {a} s, {b} s and {d} s at 10^4, 10^5 and 10^6\nmajority rows",
           BENCH, c=lambda: group(BENCH, r"Git commit: `(\w{7})"), a=lambda: bench_synthetic_seconds("glgan", "10,000"),
           b=lambda: bench_synthetic_seconds("glgan", "100,000"), d=lambda: bench_synthetic_seconds("glgan", "1,000,000")),
    figure(DOCS, "the autoencoder is {a} of a 10^5-row fit and autograd's backward pass {b} of all\nits time",
           "results/profile_glgan.md", a=lambda: profile_share("100,000", "autoencoder (Eq. 3.3)"),
           b=lambda: profile_share("100,000", "_EngineBase.run_backward (<built-in>)")),
    figure(DOCS, "**Missed**: {k} of {n} baseline cells of Tables 2 and 5 (USPS {ku} of {nu}, Madelon {km} of {nm})",
           GAP, k=lambda: str(gap_counts()[0]), n=lambda: str(gap_counts()[1]), ku=lambda: str(gap_counts("usps")[0]),
           nu=lambda: str(gap_counts("usps")[1]), km=lambda: str(gap_counts("madelon")[0]),
           nm=lambda: str(gap_counts("madelon")[1])),
    figure(DOCS, "(GL-GAN {g}; `variant=\"paper\"`: {p}; means over folds)", "results/runs/benchmark-dev",
           g=lambda: spread_range("glgan"), p=lambda: spread_range("glgan_paper")),
    figure(DOCS, "GL-GAN's MLP / LinearSVC MCC rose from {pm} / {pl} (paper variant) to\n{m} / {l}",
           "results/tables/table4_gas_drift.csv", pm=gas("glgan_paper", "mlp"), pl=gas("glgan_paper", "linear_svc"),
           m=gas("glgan", "mlp"), l=gas("glgan", "linear_svc")),
    figure(DOCS, "higher with MLP and LinearSVC ({pm} / {pl}\nvs {m} / {l}) and lower with AdaBoost ({pa} vs {a})", USPS,
           pm=usps("glgan_paper", "mlp"), pl=usps("glgan_paper", "linear_svc"), m=usps("glgan", "mlp"),
           l=usps("glgan", "linear_svc"), pa=usps("glgan_paper", "adaboost"), a=usps("glgan", "adaboost")),
    figure(DOCS, "| cover ≥ SMOTE's − 0.1 | {k} of {n} (CM1: {c} vs {cs}; glass2: {g} vs {gs}) |", _EVAL_MD,
           k=lambda: _targets_held("cover"), n=lambda: _n_sets(_EVAL_MD), c=lambda: _target("CM1", 1),
           cs=lambda: _target("CM1", 4), g=lambda: _target("glass2", 1), gs=lambda: _target("glass2", 4)),
    figure(DOCS, "| near-majority ≤ SMOTE's + 0.1 | {k} of {n} (CM1 {c} vs {cs}; abalone-19_vs_10-11-12-13 {a} vs {as_};",
           _EVAL_MD, k=lambda: _targets_held("near-maj"), n=lambda: _n_sets(_EVAL_MD), c=lambda: _target("CM1", 2),
           cs=lambda: _target("CM1", 5), a=lambda: _target("abalone-19_vs_10-11-12-13", 2),
           as_=lambda: _target("abalone-19_vs_10-11-12-13", 5)),
    figure(README, "Over the {n}\n  (set, classifier) MCC cells:", _EVAL_MD, n=_cells),
    figure(DOCS, "**not held**: {g} vs {s} of {k} ({n} cells; {wtl}); mean MCC {m} vs {ms}", f"{EVAL}/tables/",
           g=lambda: mean_rank(EVAL, "glgan"), s=lambda: mean_rank(EVAL, "smote"), k=lambda: _n_methods(_EVAL_MD),
           n=_cells, wtl=lambda: _wtl("smote", "docs"), m=lambda: mean_mcc("glgan"), ms=lambda: mean_mcc("smote")),
    figure(DOCS, "| fit time | GL-GAN {x}× its paper variant ({g} s vs {p} s over {f} folds) |",
           f"{EVAL}/tables/sampler_seconds.csv", x=lambda: num(sampler_seconds("glgan") / sampler_seconds("glgan_paper"), 2),
           g=lambda: num(cell(f"{EVAL}/tables/sampler_seconds.csv", "total", method="glgan"), 0),
           p=lambda: num(cell(f"{EVAL}/tables/sampler_seconds.csv", "total", method="glgan_paper"), 0),
           f=lambda: str(int(group(_EVAL_MD, r"Stratified (\d+)-fold")) * int(_n_sets(_EVAL_MD)))),
]


def _wtl(method: str, style: str = "words") -> str:
    """GL-GAN's wins, ties and losses against ``method`` over the eval list's (set, classifier) cells."""
    w = csv(f"{EVAL}/tables/wilcoxon.csv")
    w = w[w["method"] == method]
    wins, ties, losses = (int(w[c].sum()) for c in ("wins", "ties", "losses"))
    if style == "/":
        return f"{wins}/{ties}/{losses}"
    if style == "docs":
        return f"{wins} wins, {ties} ties, {losses} losses"
    return f"{wins}, ties {ties}, loses {losses}"
