"""Threads benchmark: GL-GAN's default ``n_threads=1`` on an idle and a busy machine.

    python scripts/bench_threads.py                    # full measurement -> results/bench_threads.md (5-15 min)
    python scripts/bench_threads.py --repeats 3        # median of 3 runs per row (3x as long)
    python scripts/bench_threads.py --quick --out /tmp/bench_threads.md   # smoke run, tiny data (2-4 min)
    python scripts/bench_threads.py --cases idle,busy2 # a subset of the cases below

Run it on an otherwise idle machine: the load average before and after goes into the report. Twelve
fresh processes at a few seconds of imports each make up most of ``--quick``'s time.

Cases, each row a fresh subprocess so that torch's thread state is clean (``OMP_NUM_THREADS``,
``MKL_NUM_THREADS`` and ``OPENBLAS_NUM_THREADS`` are removed from its environment, so torch starts at its
own default of one thread per core):

* ``idle``, ``busy1``, ``busy2``: ``GLGAN(random_state=0).fit_resample(X, y)`` beside 0, 1 or 2 busy
  processes (each a Python loop spinning on one core, started before the measurement and killed after
  it, also on error);
* ``cv``: ``cross_val_score(make_pipeline(GLGAN(random_state=0), LogisticRegression(max_iter=1000)), X, y,
  cv=StratifiedKFold(2), n_jobs=2)`` on the idle machine.

Rows per case: ``pinned`` (the issue's reference: ``n_threads=None`` with the caller pinning torch to one
thread, ``torch.set_num_threads(1)`` and ``OMP_NUM_THREADS=1`` inherited by joblib's workers), ``default``
(``GLGAN`` as shipped, ``n_threads=1``) and ``None`` (``n_threads=None``, torch at its default). Only the
call is timed, not imports or data loading. The verdict per case: the default within 1.5x of the pinned row.

Data: the USPS r = 0.01 split (classes 0 vs 2, seed 0, min-max scaled) when the USPS files are held
here, else synthetic data of the same shape (the report says which); ``--quick`` uses tiny synthetic
data and short training.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
CASES = {"idle": ("fit", 0), "busy1": ("fit", 1), "busy2": ("fit", 2), "cv": ("cv", 0)}
VARIANTS = ("pinned", "default", "None")
LABELS = {"pinned": "None + caller pins 1 thread (reference)", "default": "default (1)",
          "None": "None (torch default)"}
QUICK_KWARGS = {"ae_epochs": 2, "ae_min_steps": 0, "gan_epochs": 1}
TOLERANCE = 1.5
BUSY_LOOP = "while True: sum(range(10**6))"


@contextmanager
def busy_processes(n: int):
    """Start ``n`` Python processes each spinning one core; kill them on leaving, error or not."""
    procs = []
    try:
        for _ in range(n):
            procs.append(subprocess.Popen([sys.executable, "-c", BUSY_LOOP], stdin=subprocess.DEVNULL,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        yield procs
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait()


def synthetic(n_majority: int, n_minority: int, n_features: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.random((n_majority, n_features)), 0.5 * rng.random((n_minority, n_features)) + 0.5])
    y = np.r_[np.zeros(n_majority, int), np.ones(n_minority, int)]
    order = rng.permutation(len(y))
    return X[order], y[order]


def load_data(quick: bool):
    """``(X, y, description)``: the USPS r = 0.01 training split, else synthetic data of its shape."""
    if quick:
        return (*synthetic(40, 8, 8), "tiny synthetic data (40 + 8 rows x 8 features, `--quick`)")
    from glgan.data import DataFileError, load_dataset
    from glgan.experiment.protocol import make_split, minmax_scale

    try:
        data = load_dataset("usps", None, download=False)
        split = minmax_scale(make_split(data.X, data.y, majority=0, minority=2, ratio=0.01, seed=0))
        return (split.X_train, split.y_train, f"USPS r = 0.01 training split, classes 0 vs 2, seed 0, min-max "
                f"scaled ({split.n_majority} + {split.n_minority} rows x {split.X_train.shape[1]} features)")
    except DataFileError as err:  # the files are not held here (or do not match their pinned hash)
        X, y = synthetic(744, 7, 256)
        return X, y, (f"synthetic data of the USPS split's shape (744 + 7 rows x 256 features in [0, 1]); "
                      f"USPS not available: {type(err).__name__}: {err}")


def worker(spec: dict) -> dict:
    """One timed call in this (fresh) process; ``spec`` holds data path, case kind, variant, quick."""
    import torch
    from imblearn.pipeline import make_pipeline
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    from glgan import GLGAN

    threads_at_start = torch.get_num_threads()
    if spec["variant"] == "pinned":
        torch.set_num_threads(1)
    kwargs = {} if spec["variant"] == "default" else {"n_threads": None}
    sampler = GLGAN(random_state=0, **kwargs, **(QUICK_KWARGS if spec["quick"] else {}))
    with np.load(spec["data"]) as data:
        X, y = data["X"], data["y"]
    start = time.perf_counter()
    if spec["kind"] == "cv":
        cross_val_score(make_pipeline(sampler, LogisticRegression(max_iter=1000)), X, y,
                        cv=StratifiedKFold(2), n_jobs=2)
    else:
        sampler.fit_resample(X, y)
    return {"seconds": time.perf_counter() - start, "torch": torch.__version__,
            "threads_at_start": threads_at_start, "threads_after": torch.get_num_threads()}


def run_worker(spec: dict, time_limit: float) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARS}
    if spec["variant"] == "pinned":
        env.update(dict.fromkeys(THREAD_VARS, "1"))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(spec)]
    try:
        done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=time_limit)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout (> {time_limit:g} s)"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1].replace("|", "/")
        return {"error": f"exit {done.returncode}: {last}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_case(case: str, data_path: str, *, quick: bool, repeats: int = 1, variants=VARIANTS,
             time_limit: float = 900.0) -> list[dict]:
    """Rows ``{case, variant, seconds (median), runs, ...}`` of one case, its busy processes around them."""
    kind, n_busy = CASES[case]
    runs = {v: [] for v in variants}
    with busy_processes(n_busy):
        if n_busy:
            time.sleep(1.0)  # let the spinners get going
        for _ in range(repeats):
            for variant in variants:
                runs[variant].append(run_worker({"data": data_path, "kind": kind, "variant": variant,
                                                 "quick": quick}, time_limit))
    rows = []
    for variant, results in runs.items():
        ok = [r for r in results if "error" not in r]
        errors = [r["error"] for r in results if "error" in r]
        rows.append({"case": case, "variant": variant, "runs": len(results), "errors": errors,
                     "seconds": statistics.median(r["seconds"] for r in ok) if ok else None,
                     **({k: ok[-1][k] for k in ("torch", "threads_at_start")} if ok else {})})
    return rows


def git_commit() -> str:
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()

    try:
        return git("rev-parse", "HEAD") + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def render(rows: list[dict], *, data: str, load: tuple[float, float], command: str, seconds: float) -> str:
    """The markdown report: table, verdict per case, machine and provenance."""
    ok = [r for r in rows if r.get("torch")]
    torch_version = ok[0]["torch"] if ok else "unknown"
    torch_default = next((r["threads_at_start"] for r in ok if r["variant"] != "pinned"), "unknown")
    lines = ["# Threads benchmark", "",
             f"- Command: `{command}`; {seconds / 60:.1f} min in all.",
             f"- Commit: `{git_commit()}`",
             f"- Machine: {os.cpu_count()} logical cores (nproc); torch {torch_version}; torch's default threads "
             f"in a fresh process without OMP/MKL/OpenBLAS variables: {torch_default}.",
             f"- Load average (1 min) before / after: {load[0]:.2f} / {load[1]:.2f}.",
             f"- Data: {data}.",
             "- A busy process is a Python loop spinning one core, started before and killed after the case. "
             "In `cv`, joblib's workers cap OMP/MKL threads at cores // n_jobs unless the caller set them, "
             "so torch's default there is that cap.", "",
             "| case | n_threads | seconds | ratio to reference | runs |", "|---|---|---|---|---|"]
    verdicts = []
    for case in dict.fromkeys(r["case"] for r in rows):
        group = {v: r for v in VARIANTS for r in rows if (r["case"], r["variant"]) == (case, v)}
        ref = group.get("pinned", group.get("default"))
        for variant, row in group.items():
            secs = row["seconds"]
            ratio = f"{secs / ref['seconds']:.2f}" if secs is not None and ref["seconds"] else "n/a"
            shown = f"{secs:.2f}" if secs is not None else "failed: " + "; ".join(row["errors"])
            lines.append(f"| {case} | {LABELS[variant]} | {shown} | {ratio} | {row['runs']} |")
        default = group.get("default")
        if default and default["seconds"] is not None and ref["seconds"]:
            within = default["seconds"] <= TOLERANCE * ref["seconds"]
            verdicts.append(f"- {case}: default within {TOLERANCE}x of one pinned thread: "
                            f"{'yes' if within else 'no'} ({default['seconds'] / ref['seconds']:.2f}x)")
        else:
            verdicts.append(f"- {case}: default within {TOLERANCE}x of one pinned thread: n/a (a run failed)")
    return "\n".join([*lines, "", "## Verdict", "", *verdicts, ""])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny synthetic data, short training")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "bench_threads.md")
    parser.add_argument("--repeats", type=int, default=1, help="runs per row; the report shows the median")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated subset of {','.join(CASES)}")
    parser.add_argument("--time-limit", type=float, default=900.0, help="seconds per run before it is stopped")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return 0
    cases = [c for c in args.cases.split(",") if c]
    if unknown := set(cases) - set(CASES):
        parser.error(f"unknown cases {sorted(unknown)}; choose from {list(CASES)}")
    X, y, data = load_data(args.quick)
    load_before, start, rows = os.getloadavg()[0], time.perf_counter(), []
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "data.npz")
        np.savez(path, X=X, y=y)
        for case in cases:
            print(f"bench_threads: {case} ...", file=sys.stderr, flush=True)
            rows += run_case(case, path, quick=args.quick, repeats=args.repeats, time_limit=args.time_limit)
    command = " ".join(["python scripts/bench_threads.py", *(argv if argv is not None else sys.argv[1:])])
    report = render(rows, data=data, load=(load_before, os.getloadavg()[0]), command=command,
                    seconds=time.perf_counter() - start)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
