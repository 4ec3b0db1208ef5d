"""A prose figure (a document's text with its numbers left as ``{name}``) and the computations that fill it,
each from one results file. The entries themselves are in :mod:`glgan.report.prose_figures`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from glgan.experiment.store import ResultStore
from glgan.report.benchmark_stats import cpu_time
from glgan.report.prose_sources import (
    ROOT,
    cell,
    csv,
    fold_quality,
    group,
    matches,
    md_table,
    minutes,
    num,
    read,
    small,
)

README, DOCS = "README.md", "docs/REPRODUCTION.md"
LOG, THREADS, BENCH = "results/reproduce.log", "results/bench_threads.md", "results/bench.md"
USPS, GAS, MADELON, GAP = ("results/tables/table2_usps.csv", "results/tables/table4_gas_drift.csv",
                           "results/tables/table5_madelon.csv", "results/tables/paper_gap.csv")
RESULTS, PAPER = "results/README.md", "results/paper/paper_tables.csv"
EVAL, DEV = "results/benchmark", "results/benchmark-dev"


@dataclass(frozen=True)
class ProseFigure:
    """One sentence of ``doc`` whose numbers are computed from ``source``.

    ``template`` is the sentence with ``{name}`` for each number; ``values[name]`` returns it as printed.
    """

    doc: str
    template: str
    source: str
    values: dict[str, Callable[[], str]] = field(default_factory=dict)

    def render(self) -> str:
        return self.template.format(**{name: compute() for name, compute in self.values.items()})


def figure(doc: str, template: str, source: str, **values: Callable[[], str]) -> ProseFigure:
    return ProseFigure(doc, template, source, values)


# ---- computations, each from one source -------------------------------------------------------------
def reproduce_minutes() -> str:
    return str(minutes(group(LOG, r"reproduce: finished \| elapsed (\d+:\d\d:\d\d)")))


def _sweeps() -> list[tuple[int, int]]:
    """(cells, cells to run) of every sweep the reproduction's log lists."""
    return [(int(cells), int(todo)) for cells, todo in
            matches(LOG, r"^\[sweep \d+/\d+\] .*?: (\d+) cells .*?, (\d+) to run")]


def reproduce_runs() -> str:
    """Runs of the reproduction: the cells of every sweep its log lists."""
    return str(sum(cells for cells, _ in _sweeps()))


def reproduce_stored() -> str:
    """Cells of the reproduction's sweeps that were already stored, so not rerun."""
    return str(sum(cells - todo for cells, todo in _sweeps()))


def reproduce_rerun() -> str:
    """Cells of the reproduction's sweeps that ran."""
    return str(sum(todo for _, todo in _sweeps()))


def threads(case_kind: str, column: str) -> list[float]:
    table = md_table(THREADS, "| case | n_threads")
    rows = table[table["n_threads"] == case_kind]
    return [float(v) for v in rows[column]]


def threads_busy(case_kind: str) -> list[float]:
    table = md_table(THREADS, "| case | n_threads")
    rows = table[(table["n_threads"] == case_kind) & table["case"].str.startswith("busy")]
    return [float(v) for v in rows["seconds"]]


def usps(method: str, classifier: str, metric: str = "mcc", column: str = "mean", decimals: int = 3):
    return lambda: num(cell(USPS, column, method=method, classifier=classifier, metric=metric), decimals)


def gas(method: str, classifier: str, decimals: int = 3):
    return lambda: num(cell(GAS, "mean", method=method, classifier=classifier, metric="mcc"), decimals)


def gap_counts(dataset: str | None = None, classifier: str | None = None) -> tuple[int, int]:
    gaps = csv(GAP)
    gaps = gaps[gaps["dataset"].isin(["usps", "madelon"])] if dataset is None else gaps[gaps["dataset"] == dataset]
    if classifier:
        gaps = gaps[gaps["classifier"] == classifier]
    return int(gaps["within"].sum()), len(gaps)


def gap_verdicts(verdict: str) -> str:
    gaps = csv(GAP)
    misses = gaps[gaps["dataset"].isin(["usps", "madelon"]) & ~gaps["within"]]
    return str(int((misses["verdict"] == verdict).sum())) if verdict else str(len(misses))


def no_rows_usps(method: str) -> str:
    row = csv(USPS)
    row = row[(row["method"] == method) & (row["block"] != "ablation")].iloc[0]
    return f"{int(row['n_no_rows'])} of {int(row['n_seeds'])}"


def claim_number(pattern: str) -> Callable[[], str]:
    return lambda: group(RESULTS, pattern)


def bench_seconds(dataset: str, method: str) -> float:
    table = md_table(BENCH, f"### {dataset} ")
    return float(table.loc[table["method"] == method, "seconds"].iloc[0])


def bench_per_row_ms(n_majority: str) -> str:
    table = md_table(BENCH, "## Synthetic data")
    row = table[(table["method"] == "glgan") & (table["n majority"] == n_majority)]
    return num(float(row["µs per row"].iloc[0].replace(",", "")) / 1000, 1)


def bench_synthetic_seconds(method: str, n_majority: str) -> str:
    table = md_table(BENCH, "## Synthetic data")
    row = table[(table["method"] == method) & (table["n majority"] == n_majority)]
    return num(float(row["seconds"].iloc[0].replace(",", "")), 1)


def bench_bytes_per_row(which: str) -> str:
    """GL-GAN's ("glgan") or SMOTE's ("smote") growth of the memory beyond the data, bytes per row."""
    pattern = (r"Memory beyond the data grows by ([\d,]+) bytes per row" if which == "glgan"
               else r"SMOTE on the same data: ([\d,]+) bytes per row")
    return group(BENCH, pattern)


PROFILE = "results/profile_glgan.md"


def profile_share(n_majority: str, row: str) -> str:
    """A row's share in the profile of ``n_majority`` rows (``scripts/profile_glgan.py``'s table)."""
    section = read(PROFILE).split(f"### n_majority = {n_majority} ")[1].split("### ")[0]
    for line in section.splitlines():
        if line.startswith(f"| {row} |") or line.startswith(f"| `{row}` |"):
            return line.rsplit("|", 2)[-2].strip()
    raise ValueError(f"{PROFILE}: no row {row!r} for n_majority = {n_majority}")


def bench_beyond_mib(n_majority: str) -> str:
    table = md_table(BENCH, "## Synthetic data")
    row = table[(table["method"] == "glgan") & (table["n majority"] == n_majority)]
    return num(float(row["beyond data (MiB)"].iloc[0].replace(",", "")), 0)


def mean_rank(store: str, method: str) -> str:
    ranks = csv(f"{store}/tables/mean_ranks.csv").set_index("method")
    return num(float(ranks.loc[method].mean()), 2)


def mean_mcc(method: str) -> str:
    return num(cell(f"{EVAL}/tables/metrics_overview.csv", "mcc", method=method), 3)


def quality(method_label: str, column: str) -> str:
    table = md_table(f"{EVAL}/README.md", "| method | spread_ratio | cover")
    return table.loc[table["method"] == method_label, column].iloc[0]


def targets(set_name: str) -> list[str]:
    table = md_table(f"{EVAL}/README.md", "### Sample-quality targets")
    row = table[table["set"] == set_name].iloc[0]
    return [*row["GL-GAN"].split(" / "), *row["SMOTE"].split(" / ")]


def sampler_seconds(method: str) -> float:
    return cell(f"{EVAL}/tables/sampler_seconds.csv", "mean", method=method)


def spread_range(method: str) -> str:
    spread = fold_quality(f"results/runs/{DEV.split('/')[1]}", method)
    return f"{small(spread.min())}-{small(spread.max())}"



@lru_cache(maxsize=None)
def _benchmark_cpu_seconds(store: str) -> tuple[float, float]:
    """CPU seconds in a benchmark store's records, as its report counts them (:func:`benchmark_stats.cpu_time`):
    all of them, and those of the practitioner's additions (LightGBM on every method; ``class_weight`` and
    ``threshold`` with every classifier)."""
    records = ResultStore(ROOT / store).load()
    if records.empty:
        raise ValueError(f"no run records in {store}")
    by_set, _ = cpu_time(records)
    added = records["method"].isin(["class_weight", "threshold"])
    runs = records[added].drop_duplicates(["dataset", "method", "repeat", "fold"])
    additions = runs["sampler_seconds"].sum() + records.loc[added | (records["classifier"] == "lightgbm"),
                                                           "classifier_seconds"].sum()
    return float(by_set["total"].sum()), float(additions)


def benchmark_cpu_minutes(store: str, part: str) -> str:
    total, additions = _benchmark_cpu_seconds(store)
    return {"total": num(total / 60, 1), "additions": num(additions / 60, 1),
            "share": num(100 * additions / total, 0)}[part]
