"""The KEEL benchmark's tasks: one (set, method, repeat, fold) each, run by parallel single-threaded workers.

``scripts/benchmark.py`` is the command line; this module runs a plan's tasks (:mod:`glgan.keel_benchmark.plan`)
through the Hydra runner's own configuration, so that ``python -m glgan.run ... fold=k`` writes the same record.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from glgan.keel_benchmark.plan import Task, fold_config, load_benchmark_plan, order_tasks, task_keys
from glgan.experiment.command_check import check_run_config
from glgan.run import run, task_summary


def elapsed(start: float) -> str:
    seconds = int(time.perf_counter() - start)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def run_task(experiment: str, task: Task, results_dir: str, overrides=()) -> dict:
    """Run one KEEL benchmark fold single-threaded in this process; a summary for the progress line (never raises).

    :func:`run_tasks` calls it in its parallel workers for each task of the plan
    (:mod:`glgan.keel_benchmark.plan`).
    """
    extra = (f"results_dir={results_dir}", "threads=1", *overrides)
    return task_summary(task, lambda: run(fold_config(experiment, task, extra)))


def set_sizes(sets) -> dict[str, int]:
    from glgan.data.keel import load_set

    return {name: load_set(name).X.size for name in sets}


def run_tasks(experiment: str, pairs, results_dir: Path, jobs: int, start: float) -> tuple[int, float]:
    """Run ``pairs`` of (task, overrides) with ``jobs`` loky workers, a progress line each; (failures, wall seconds)."""
    from joblib import Parallel, delayed

    failed, begin = 0, time.perf_counter()
    work = (delayed(run_task)(experiment, task, str(results_dir), tuple(overrides)) for task, overrides in pairs)
    results = Parallel(n_jobs=jobs, backend="loky", return_as="generator_unordered")(work)
    for k, result in enumerate(results, 1):
        head = f"[{k}/{len(pairs)}] {result['task'].label}"
        if result["ok"]:
            scores = " ".join(f"{c}={v:.3f}" for c, v in result["mcc"].items())
            print(f"{head}: mcc {scores} | sampler {result['sampler_seconds']:.1f} s, run {result['seconds']:.1f} s"
                  f" | elapsed {elapsed(start)}", flush=True)
        else:
            failed += 1
            print(f"{head}: FAILED {result['error']} | elapsed {elapsed(start)}", flush=True)
    return failed, time.perf_counter() - begin


def check_overrides(experiment: str, tasks, overrides) -> None:
    """Stop before any work if ``--override`` does not compose or names no parameter of a method's sampler."""
    one_per_method = {}
    for task in tasks:
        one_per_method.setdefault(task.method, task)
    for method, task in one_per_method.items():
        try:
            check_run_config(fold_config(experiment, task, tuple(overrides)))
        except Exception as error:  # noqa: BLE001 - Hydra's and the runner's errors, one line each
            raise SystemExit(f"benchmark: --override {' '.join(overrides)} does not apply to method {method}: "
                             f"{' '.join(str(error).split())}") from None


def any_stored(store, args) -> bool:
    """Whether any run of the experiment's whole plan (not only the --sets/--methods part) is in ``store``."""
    full_tasks = order_tasks(load_benchmark_plan(args.experiment).restrict(repeats=args.repeats), {})
    return any(store.has(key) for key in task_keys(args.experiment, full_tasks, tuple(args.override)).values())


def write_timing(out: Path, plan, jobs: int, n_runs: int, wall: float, failed: int, fresh: bool = False) -> None:
    """Append this invocation's wall time to ``<out>/timing.json`` (the report sums them; records hold CPU times).

    ``fresh``: the store held none of the plan's runs before this invocation, so the history starts again.
    """
    path = out / "timing.json"
    history = json.loads(path.read_text()) if path.is_file() and not fresh else []
    history.append({"experiment": plan.experiment, "jobs": jobs, "runs": n_runs, "failed": failed,
                    "wall_seconds": round(wall, 1), "cpus": os.cpu_count()})
    out.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(history, indent=1, sort_keys=True) + "\n")




def multirun_command(plan, results_dir: Path, launcher: str, overrides=(), launcher_overrides=()) -> list[str]:
    """``python -m glgan.run -m ...``: every (set, method, repeat, fold) of ``plan`` as one Hydra multirun through
    ``hydra/launcher=<launcher>`` (``configs/hydra/launcher/``: ``slurm`` on a cluster, ``local`` to try it here).
    Each job is one fold, exactly the record :func:`run_task` writes; a stored fold is skipped by the job."""
    import sys

    return [sys.executable, "-m", "glgan.run", "-m", f"experiment={plan.experiment}", f"hydra/launcher={launcher}",
            f"dataset.set={','.join(plan.sets)}", f"method={','.join(plan.methods)}",
            f"repeat=range({plan.repeats})", f"fold=range({plan.folds})", f"results_dir={results_dir}",
            f"hydra.sweep.dir={results_dir / '.hydra' / f'multirun-{plan.experiment}'}", *overrides,
            *launcher_overrides]


def run_multirun(plan, todo, results_dir: Path, launcher: str, overrides=(), launcher_overrides=(), log=print):
    """Run :func:`multirun_command` (its output streams through); return (tasks still missing, wall seconds)."""
    import subprocess

    from glgan.experiment.store import ResultStore

    command = multirun_command(plan, results_dir, launcher, overrides, launcher_overrides)
    log("benchmark: " + " ".join(command[1:]))
    begin = time.perf_counter()
    subprocess.run(command, check=False)
    store, keys = ResultStore(results_dir / plan.experiment), task_keys(plan.experiment, todo, tuple(overrides))
    return sum(not store.has(keys[task]) for task in todo), time.perf_counter() - begin
