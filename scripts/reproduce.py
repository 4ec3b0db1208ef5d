"""Run every experiment the held data allows, then regenerate all tables and figures.

    python scripts/reproduce.py                 # the paper's protocol (10 seeds), results/ (about 20 min)
    python scripts/reproduce.py --quick         # 2 seeds, short training, results/quick/ (minutes)
    python scripts/reproduce.py --jobs 4        # parallel single-threaded workers

What runs is the `reproduce:` block of configs/experiment/<experiment>.yaml: for each dataset whose files
are present, all methods x seeds at r = 0.01 (the tables), and for the datasets of Figures 3-4 the same
over the imbalance ratios (the r-sweep). A dataset not held is skipped with one line naming the missing
file and its source. Every pending cell, and every sampler re-run the report needs (interleaving rows,
MNIST images, cGAN histories), is one task of one pool of workers, costliest first. A cell runs through
the Hydra runner's own code and configuration (`glgan.run.run_cell_task`), so its record is the one
`python -m glgan.run -m ...` would write. Runs already in the store are skipped, so an interrupted
reproduction resumes where it stopped.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy/torch load: parallel workers must be single-threaded
os.environ["PYTHONHASHSEED"] = "0"  # the pool's workers inherit it, as the Hydra sweeps' processes did

import argparse  # noqa: E402
import logging  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from glgan.experiment.plan import Cell, Fit, load_plan  # noqa: E402
from glgan.experiment.protocol import PAPER_RATIO  # noqa: E402

# Rough seconds of one task on one core, for the order of the pool only (make reproduce's log at 88512ed).
DATASET_SECONDS = {"mnist": 6.0, "gisette": 8.0, "madelon": 3.0, "sensorless": 2.0, "usps": 1.2, "gas_drift": 0.8}
TORCH_METHODS = {"glgan", "glgan_paper", "auto_only", "plain_ae", "bagan", "cgan"}


@dataclass(frozen=True)
class Sweep:
    dataset: str
    part: str
    methods: tuple[str, ...]
    seeds: tuple[int, ...]
    ratios: tuple[float, ...]
    overrides: tuple[str, ...]

    @property
    def n_cells(self) -> int:
        return len(self.methods) * len(self.seeds) * len(self.ratios)


def elapsed(start: float) -> str:
    seconds = int(time.perf_counter() - start)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def plan_sweeps(plan, statuses) -> list[Sweep]:
    sweeps = []
    for dataset in plan.datasets:
        status = statuses[dataset]
        if not status.held:
            continue
        sweeps.append(Sweep(dataset, "tables", plan.methods, plan.seeds, (PAPER_RATIO,), status.overrides))
        if dataset in plan.figure_datasets and plan.figure_methods:
            covered = set(plan.figure_methods) <= set(plan.methods)
            ratios = tuple(r for r in plan.figure_ratios if not (covered and math.isclose(r, PAPER_RATIO)))
            if ratios:
                sweeps.append(Sweep(dataset, "r-sweep", plan.figure_methods, plan.seeds, ratios, status.overrides))
    return sweeps


def pending_cells(sweep: Sweep, experiment: str, runs_dir: Path) -> list[Cell]:
    """Cells of ``sweep`` not yet in the store (their configs composed once per method and ratio)."""
    from glgan.experiment.cells import cell_config
    from glgan.experiment.run_keys import run_key
    from glgan.experiment.store import ResultStore

    store = ResultStore(runs_dir / experiment)
    return [Cell(sweep.dataset, method, ratio, seed, sweep.overrides)
            for method in sweep.methods for ratio in sweep.ratios for seed in sweep.seeds
            if not store.has(run_key(cell_config(experiment, sweep.dataset, method, seed, ratio, sweep.overrides)))]


def report_fits(plan, statuses, pending: list[Cell], cache: Path) -> tuple[list[Fit], set[Cell]]:
    """The report's sampler re-runs that are not cached, and the pending cells that give their row themselves.

    A cell of the tables at r = 0.01 fits the very sampler an interleaving row needs (same configuration,
    split and seed), so such a cell caches the row and there is no re-run.
    """
    from glgan.experiment.derived import cached_row, cgan_history_path, fit_cells

    held = [name for name in plan.interleaving_datasets if statuses[name].held]
    pending_set = set(pending)
    fits, from_cells = [], set()
    for name, method, seed, keep in fit_cells(held, plan.methods, plan.interleaving_seeds):
        status = statuses[name]
        if cached_row(plan.experiment, name, method, seed, status.overrides, cache, keep) is not None:
            continue
        cell = Cell(name, method, PAPER_RATIO, seed, status.overrides)
        if cell in pending_set and not keep:
            from_cells.add(cell)
        else:
            fits.append(Fit(name, method, seed, status.overrides, status.partial, keep))
    if "cgan" in plan.methods:  # the report's cGAN loss curves
        seed = plan.interleaving_seeds[0] if plan.interleaving_seeds else 0
        for name in held:
            status = statuses[name]
            if name != "mnist" and not cgan_history_path(plan.experiment, name, seed, status.overrides, cache).is_file():
                fits.append(Fit(name, "cgan", seed, status.overrides, status.partial, kind="cgan_history"))
    return fits, from_cells


def estimated_seconds(task: Cell | Fit) -> float:
    """A rough cost of one task on one core, for the order only: the classifiers grow with the dataset and
    the ratio, a torch sampler adds more."""
    size = DATASET_SECONDS.get(task.dataset, 2.0)
    sampler = size * (4.0 if task.method in TORCH_METHODS else 0.2)
    if isinstance(task, Fit):
        return sampler
    return (sampler + 1.5 * size) * (1 + 5 * task.ratio)


def pool_jobs(tasks, experiment: str, args, cache: Path, from_cells: set) -> list:
    """One joblib call per task: a cell through the runner (into ``--results-dir``), or a report re-run."""
    from joblib import delayed

    from glgan.experiment.derived import run_fit_task
    from glgan.run import run_cell_task

    runs, data_dir = str(args.results_dir.resolve()), args.data_dir and str(Path(args.data_dir).resolve())
    return [delayed(run_cell_task)(experiment, t, runs, data_dir, str(cache) if t in from_cells else None)
            if isinstance(t, Cell) else delayed(run_fit_task)(experiment, t, cache, data_dir) for t in tasks]


def run_pool(jobs: list, n_jobs: int, start: float) -> list[str]:
    """Run ``jobs`` in ``n_jobs`` loky workers, one progress line each; return the failed tasks' labels."""
    from joblib import Parallel

    failed = []
    for k, result in enumerate(Parallel(n_jobs=n_jobs, backend="loky", return_as="generator_unordered")(jobs), 1):
        task = result["task"]
        if not result["ok"]:
            failed.append(task.label)
            line = f"{task.label}: FAILED {result['error']}"
        elif isinstance(task, Cell):
            scores = ", ".join(f"{c} mcc={v:.3f}" for c, v in result["mcc"].items())
            line = f"{task.label}: {scores} (sampler {result['sampler_seconds']:.1f} s)"
        else:
            line = f"report: {result['message'] or task.label + ' (cached)'}"
        print(f"[{k}/{len(jobs)}] {line} | elapsed {elapsed(start)}", flush=True)
    return failed


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the quick experiment (same as --experiment quick)")
    parser.add_argument("--experiment", default="paper", help="experiment config name (default: paper)")
    parser.add_argument("--jobs", type=int, default=2,
                        help="parallel single-threaded workers of the cells and the report's sampler re-runs (default: 2)")
    parser.add_argument("--datasets", default=None, help="comma-separated subset of the plan's datasets")
    parser.add_argument("--methods", default=None, help="comma-separated subset of the plan's methods")
    parser.add_argument("--seeds", type=int, default=None, help="only the first N seeds of the plan")
    parser.add_argument("--ratios", default=None, help="comma-separated ratios for the Figures 3-4 sweep")
    parser.add_argument("--results-dir", type=Path, default=ROOT / "results" / "runs",
                        help="the runner's results_dir (records go to <results-dir>/<experiment>)")
    parser.add_argument("--out", type=Path, default=None,
                        help="report folder (default: results/ for paper, results/<experiment>/ otherwise)")
    parser.add_argument("--data-dir", default=None, help="dataset folder (default: the loaders' default)")
    parser.add_argument("--download", action="store_true", help="download missing dataset files first")
    parser.add_argument("--no-report", action="store_true", help="run the cells only")
    parser.add_argument("--no-samplers", action="store_true",
                        help="report without sampler re-runs (interleaving, Figures 5-6)")
    parser.add_argument("--dry-run", action="store_true", help="print what would run, without running it")
    args = parser.parse_args(argv)
    if args.quick:
        args.experiment = "quick"
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    from glgan.experiment.held import check_dataset

    split = lambda text: None if text is None else [t for t in text.split(",") if t]  # noqa: E731
    ratios = None if args.ratios is None else [float(r) for r in split(args.ratios)]
    plan = load_plan(args.experiment).restrict(datasets=split(args.datasets), methods=split(args.methods),
                                               seeds=args.seeds, ratios=ratios)
    start = time.perf_counter()
    print(f"reproduce: experiment '{plan.experiment}', {len(plan.seeds)} seed(s), {args.jobs} worker(s)", flush=True)
    names = list(dict.fromkeys([*plan.datasets, *plan.figure_datasets, *plan.interleaving_datasets]))
    statuses = {name: check_dataset(name, args.data_dir, download=args.download) for name in names}
    for status in statuses.values():
        print(f"  data {status.line}", flush=True)

    runs_dir = args.results_dir.resolve()
    cache = runs_dir.parent / "derived" / plan.experiment  # where make_report looks for its re-runs
    sweeps = plan_sweeps(plan, statuses)
    pending = []
    for k, sweep in enumerate(sweeps, 1):
        todo = pending_cells(sweep, plan.experiment, runs_dir)
        pending += todo
        print(f"[sweep {k}/{len(sweeps)}] {sweep.dataset} {sweep.part}: {sweep.n_cells} cells "
              f"({len(sweep.methods)} methods x {len(sweep.seeds)} seeds x r={','.join(f'{r:g}' for r in sweep.ratios)})"
              f", {len(todo)} to run | elapsed {elapsed(start)}", flush=True)
    samplers = not (args.no_report or args.no_samplers)
    fits, from_cells = report_fits(plan, statuses, pending, cache) if samplers else ([], set())
    tasks = sorted([*pending, *fits], key=estimated_seconds, reverse=True)
    print(f"[run] {len(pending)} cells ({len(from_cells)} of them also give the report's interleaving row) and "
          f"{len(fits)} report re-runs in one pool of {args.jobs} worker(s), costliest first | elapsed {elapsed(start)}",
          flush=True)
    failed = []
    if args.dry_run:
        for task in tasks:
            print(f"  {task.label}", flush=True)
    elif tasks:
        failed = run_pool(pool_jobs(tasks, plan.experiment, args, cache, from_cells), args.jobs, start)

    if not (args.no_report or args.dry_run):
        logging.basicConfig(level=logging.INFO, format="  report: %(message)s")
        from glgan.report.make import default_out_dir, make_report

        out = (args.out or default_out_dir(plan.experiment, ROOT / "results")).resolve()
        print(f"[report] tables, figures and summary -> {out} | elapsed {elapsed(start)}", flush=True)
        claims = make_report(plan, runs_dir, out, data_dir=args.data_dir, samplers=not args.no_samplers,
                             statuses=statuses, cache_dir=cache, jobs=args.jobs)
        for claim in claims:
            print(f"  claim: {claim.claim}: {claim.verdict}", flush=True)
    if failed:
        print(f"reproduce: {len(failed)} task(s) failed: {', '.join(failed[:10])}{' ...' if len(failed) > 10 else ''}; "
              f"rerun to retry (stored runs are kept) | elapsed {elapsed(start)}", flush=True)
        return 1
    print(f"reproduce: finished | elapsed {elapsed(start)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
