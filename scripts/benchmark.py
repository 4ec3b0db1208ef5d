"""The KEEL benchmark: every fold of every set x method in parallel, then the report.

    python scripts/benchmark.py                      # eval list -> results/runs/benchmark, results/benchmark/
    python scripts/benchmark.py --experiment benchmark-dev     # dev list -> results/benchmark-dev/
    python scripts/benchmark.py --experiment benchmark-quick   # 3 small dev sets, short training (minutes)
    python scripts/benchmark.py --jobs 4 --sets glass1,pima --methods smote,glgan   # a part of a plan
    python scripts/benchmark.py --launcher slurm --launcher-override hydra.launcher.partition=<p>   # on a cluster
    python scripts/benchmark.py --experiment benchmark-dev --methods glgan --results-dir /tmp/study \
        --override +method.sampler.ae_min_steps=600   # a dev study of one setting, in a scratch store

What runs is the `plan:` and `cv:` blocks of configs/experiment/<experiment>.yaml. Each (set, method,
repeat, fold) is one task, run by single-threaded loky workers through the Hydra runner's own config (so
`python -m glgan.run ... fold=k` gives the same record); the biggest sets start first. A task already in the
store is skipped, so an interrupted benchmark resumes where it stopped. One line per finished task.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy/torch load: parallel workers must be single-threaded

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from glgan.keel_benchmark.plan import load_benchmark_plan, order_tasks, task_keys  # noqa: E402
from glgan.keel_benchmark.tasks import (  # noqa: E402
    any_stored,
    check_overrides,
    elapsed,
    run_multirun,
    run_tasks,
    set_sizes,
    write_timing,
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experiment", default="benchmark", help="benchmark, benchmark-dev or benchmark-quick")
    parser.add_argument("--jobs", type=int, default=2, help="parallel single-threaded workers (default: 2)")
    parser.add_argument("--sets", default=None, help="comma-separated subset of the plan's sets")
    parser.add_argument("--methods", default=None, help="comma-separated subset of the plan's methods")
    parser.add_argument("--repeats", type=int, default=None, help="only the first N repeats of the plan")
    parser.add_argument("--results-dir", type=Path, default=ROOT / "results" / "runs",
                        help="the runner's results_dir (records go to <results-dir>/<experiment>)")
    parser.add_argument("--out", type=Path, default=None,
                        help="report and timing.json folder (default: results/<experiment>/, or "
                             "<results-dir>/<experiment>-report/ with another --results-dir, so that a scratch run "
                             "never writes into the committed results)")
    parser.add_argument("--override", action="append", default=[], metavar="KEY=VALUE",
                        help="a Hydra override of every task (repeatable; e.g. +method.sampler.ae_min_steps=600): a "
                             "study of another setting, which enters the records' config hash; needs a scratch "
                             "--results-dir")
    parser.add_argument("--launcher", default=None, metavar="NAME",
                        help="run the folds as one Hydra multirun through hydra/launcher=NAME (configs/hydra/launcher/: "
                             "slurm on a cluster, local to try it on this machine) instead of local workers")
    parser.add_argument("--launcher-override", action="append", default=[], metavar="KEY=VALUE",
                        help="a Hydra override of the multirun only (repeatable; e.g. hydra.launcher.partition=cpu)")
    parser.add_argument("--no-report", action="store_true", help="run the folds only")
    parser.add_argument("--report-only", action="store_true", help="write the report from the stored records")
    parser.add_argument("--dry-run", action="store_true", help="print the plan and what is left, run nothing")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.override and args.results_dir.resolve() == (ROOT / "results" / "runs").resolve():
        parser.error("--override studies another setting: give it a scratch --results-dir (e.g. /tmp/study), so that "
                     "its records never mix with the committed store")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    split = lambda text: None if text is None else [t for t in text.split(",") if t]  # noqa: E731
    plan = load_benchmark_plan(args.experiment).restrict(sets=split(args.sets), methods=split(args.methods),
                                                        repeats=args.repeats)
    start = time.perf_counter()
    scratch = args.results_dir.resolve() != (ROOT / "results" / "runs").resolve()
    default_out = args.results_dir / f"{plan.experiment}-report" if scratch else ROOT / "results" / plan.experiment
    out = (args.out or default_out).resolve()
    runs = args.results_dir.resolve() / plan.experiment
    print(f"benchmark: experiment '{plan.experiment}' ({plan.list_name or 'explicit sets'}), {len(plan.sets)} sets x "
          f"{len(plan.methods)} methods x {plan.repeats} repeat(s) x {plan.folds} folds, {args.jobs} worker(s)", flush=True)
    if not args.report_only:
        from glgan.experiment.store import ResultStore

        tasks = order_tasks(plan, set_sizes(plan.sets))
        if args.override and tasks:
            check_overrides(plan.experiment, tasks, args.override)
        store, keys = ResultStore(runs), task_keys(plan.experiment, tasks, tuple(args.override))
        todo = [task for task in tasks if not store.has(keys[task])]
        # An empty store (e.g. emptied because every config hash changed) starts a new timing history: the
        # earlier invocations timed runs that are no longer there.
        fresh = len(todo) == len(tasks) and not any_stored(store, args)
        print(f"benchmark: {len(tasks)} runs, {len(tasks) - len(todo)} already stored, {len(todo)} to run "
              f"(biggest sets first: {', '.join(dict.fromkeys(t.set for t in todo[:200]))[:120]}) | elapsed {elapsed(start)}",
              flush=True)
        if args.dry_run:
            return 0
        if args.launcher and todo:
            failed, wall = run_multirun(plan, todo, args.results_dir.resolve(), args.launcher, tuple(args.override),
                                        tuple(args.launcher_override), log=lambda line: print(line, flush=True))
        else:
            failed, wall = run_tasks(plan.experiment, [(task, tuple(args.override)) for task in todo],
                                     args.results_dir.resolve(), args.jobs, start) if todo else (0, 0.0)
        if todo:
            write_timing(out, plan, args.launcher or args.jobs, len(todo), wall, failed, fresh=fresh)
        if failed:
            print(f"benchmark: {failed} run(s) failed; rerun to retry (stored runs are kept) | elapsed {elapsed(start)}",
                  flush=True)
            return 1
    if not args.no_report:
        from glgan.keel_benchmark.report import make_benchmark_report

        # the report covers the experiment's whole plan: what --sets/--methods left out shows as "not run yet"
        full_plan = load_benchmark_plan(args.experiment).restrict(repeats=args.repeats)
        readme = make_benchmark_report(full_plan, runs, out)
        print(f"[report] {readme} | elapsed {elapsed(start)}", flush=True)
        if out == (ROOT / "results" / plan.experiment).resolve():  # the committed report: so do the docs' blocks
            from glgan.report.doc_blocks import update_docs

            for line in update_docs(ROOT):
                print(f"[docs] {line}", flush=True)
    print(f"benchmark: finished | elapsed {elapsed(start)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
