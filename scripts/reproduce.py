"""Run every experiment the held data allows, then regenerate all tables and figures.

    python scripts/reproduce.py                 # the paper's protocol (10 seeds), results/ (hours)
    python scripts/reproduce.py --quick         # 2 seeds, short training, results/quick/ (minutes)
    python scripts/reproduce.py --jobs 4        # parallel workers of the Hydra joblib launcher

What runs is the `reproduce:` block of configs/experiment/<experiment>.yaml. Each dataset whose files are
present gets one Hydra multirun of all methods x seeds at r = 0.01, and the datasets of Figures 3-4 one
more over the imbalance ratios. A dataset not held is skipped with one line naming the missing file and
its source. Runs already in the store are skipped, so an interrupted reproduction resumes where it stopped.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy/torch load: parallel workers must be single-threaded

import argparse  # noqa: E402
import logging  # noqa: E402
import math  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from glgan.experiment.plan import load_plan  # noqa: E402
from glgan.experiment.protocol import PAPER_RATIO  # noqa: E402


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


def pending_cells(sweep: Sweep, experiment: str, runs_dir: Path) -> int:
    """Cells of ``sweep`` not yet in the store (composing each cell's config to get its hash)."""
    from glgan.experiment.cells import cell_hash, compose_cell
    from glgan.experiment.store import ResultStore, RunKey

    store = ResultStore(runs_dir / experiment)
    missing = 0
    for method in sweep.methods:
        for ratio in sweep.ratios:
            cfg = compose_cell(experiment, sweep.dataset, method, sweep.seeds[0], ratio, sweep.overrides)
            digest = cell_hash(cfg)
            missing += sum(not store.has(RunKey(sweep.dataset, method, float(ratio), seed, digest))
                           for seed in sweep.seeds)
    return missing


def sweep_command(sweep: Sweep, experiment: str, args) -> list[str]:
    command = [
        sys.executable, "-m", "glgan.run", "-m", f"experiment={experiment}",
        f"dataset={sweep.dataset}", f"method={','.join(sweep.methods)}",
        f"seed={','.join(map(str, sweep.seeds))}", f"ratio={','.join(f'{r:g}' for r in sweep.ratios)}",
        f"results_dir={args.results_dir.resolve()}", f"hydra.launcher.n_jobs={args.jobs}",
        f"hydra.sweep.dir={(args.hydra_dir / experiment / f'{sweep.dataset}-{sweep.part}').resolve()}",
        *sweep.overrides,
    ]
    if args.data_dir:
        command.append(f"data_dir={Path(args.data_dir).resolve()}")
    return command


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the quick experiment (same as --experiment quick)")
    parser.add_argument("--experiment", default="paper", help="experiment config name (default: paper)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel single-threaded workers of the sweeps and of the report's sampler re-runs (default: 2)")
    parser.add_argument("--datasets", default=None, help="comma-separated subset of the plan's datasets")
    parser.add_argument("--methods", default=None, help="comma-separated subset of the plan's methods")
    parser.add_argument("--seeds", type=int, default=None, help="only the first N seeds of the plan")
    parser.add_argument("--ratios", default=None, help="comma-separated ratios for the Figures 3-4 sweep")
    parser.add_argument("--results-dir", type=Path, default=ROOT / "results" / "runs",
                        help="the runner's results_dir (records go to <results-dir>/<experiment>)")
    parser.add_argument("--out", type=Path, default=None,
                        help="report folder (default: results/ for paper, results/<experiment>/ otherwise)")
    parser.add_argument("--hydra-dir", type=Path, default=ROOT / ".hydra_runs", help="Hydra's sweep logs")
    parser.add_argument("--data-dir", default=None, help="dataset folder (default: the loaders' default)")
    parser.add_argument("--download", action="store_true", help="download missing dataset files first")
    parser.add_argument("--no-report", action="store_true", help="run the sweeps only")
    parser.add_argument("--no-samplers", action="store_true",
                        help="report without sampler re-runs (interleaving, Figures 5-6)")
    parser.add_argument("--dry-run", action="store_true", help="print the sweeps without running them")
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

    sweeps = plan_sweeps(plan, statuses)
    failed = []
    for k, sweep in enumerate(sweeps, 1):
        todo = pending_cells(sweep, plan.experiment, args.results_dir.resolve())
        head = (f"[sweep {k}/{len(sweeps)}] {sweep.dataset} {sweep.part}: {sweep.n_cells} cells "
                f"({len(sweep.methods)} methods x {len(sweep.seeds)} seeds x r={','.join(f'{r:g}' for r in sweep.ratios)})"
                f", {todo} to run | elapsed {elapsed(start)}")
        print(head, flush=True)
        command = sweep_command(sweep, plan.experiment, args)
        if args.dry_run:
            print("  " + " ".join(command), flush=True)
            continue
        if todo == 0:
            continue
        rc = subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"}).returncode
        print(f"[sweep {k}/{len(sweeps)}] {sweep.dataset} {sweep.part}: "
              f"{'done' if rc == 0 else f'FAILED (exit {rc})'} | elapsed {elapsed(start)}", flush=True)
        if rc != 0:
            failed.append(f"{sweep.dataset} {sweep.part}")

    if not (args.no_report or args.dry_run):
        logging.basicConfig(level=logging.INFO, format="  report: %(message)s")
        from glgan.report.make import default_out_dir, make_report

        out = (args.out or default_out_dir(plan.experiment, ROOT / "results")).resolve()
        print(f"[report] tables, figures and summary -> {out} | elapsed {elapsed(start)}", flush=True)
        claims = make_report(plan, args.results_dir.resolve(), out, data_dir=args.data_dir,
                             samplers=not args.no_samplers, statuses=statuses, jobs=args.jobs)
        for claim in claims:
            print(f"  claim: {claim.claim}: {claim.verdict}", flush=True)
    if failed:
        print(f"reproduce: {len(failed)} sweep(s) failed: {', '.join(failed)}; rerun to retry (stored runs are "
              f"kept) | elapsed {elapsed(start)}", flush=True)
        return 1
    print(f"reproduce: finished | elapsed {elapsed(start)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
