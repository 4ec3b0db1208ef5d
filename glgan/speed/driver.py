"""The sampler benchmark's driver: which measurements to make, each in a fresh worker process."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time

from glgan.speed.settings import BENCH_SCRIPT, CTGAN, ROOT, SETUP_ALLOWANCE, SYNTHETIC_METHODS, Row


def run_worker(spec: dict, threads: int) -> dict:
    """Run ``spec`` in a fresh interpreter with ``threads`` BLAS/OpenMP/torch threads."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = str(threads)
    command = [sys.executable, str(BENCH_SCRIPT), "--worker", json.dumps(spec)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env,
                              timeout=spec["time_limit"] + SETUP_ALLOWANCE)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "note": "killed: setup plus fit exceeded the limit"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("BENCH-RESULT "):
            return json.loads(line[len("BENCH-RESULT "):])
    tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
    return {"status": "failed", "note": " / ".join(tail)[-300:] or f"exit code {done.returncode}"}


def held_datasets(wanted: list[str] | None) -> list[tuple[str, tuple[str, ...], str]]:
    """``(name, overrides, status line)`` for each dataset of the plan; overrides None when not held."""
    from glgan.experiment.held import check_dataset
    from glgan.experiment.plan import load_plan

    names = load_plan("paper").datasets if wanted is None else wanted
    out = []
    for name in names:
        status = check_dataset(name, download=False)
        out.append((name, status.overrides if status.held else None, status.line))
    return out


def all_methods() -> list[str]:
    return sorted(p.stem for p in (ROOT / "configs" / "method").glob("*.yaml"))


def predicted_over_limit(previous: Row | None, n_majority: int, limit: float) -> float | None:
    """Linear-in-n prediction of the fit time from the previous size, when it is over ``limit``."""
    if previous is None or previous.n_majority is None:
        return None
    if previous.result.get("status") in ("timeout", "skipped"):
        return math.inf
    if not previous.ok:
        return None
    guess = previous.result["seconds"] * n_majority / previous.n_majority
    return guess if guess > limit else None


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run_benchmark(args) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    notes: list[str] = []
    base = {"experiment": args.experiment, "threads": args.threads, "device": args.device,
            "time_limit": args.time_limit, "ctgan_epochs": args.ctgan_epochs}
    methods = args.methods or all_methods()
    with_ctgan = not args.no_ctgan

    for name, overrides, line in held_datasets(args.datasets):
        if overrides is None:
            notes.append(f"Not measured: {line}")
            continue
        for method in [*methods, *([CTGAN] if with_ctgan and not args.quick else [])]:
            spec = {**base, "kind": "held", "dataset": name, "method": method, "overrides": list(overrides)}
            log(f"{name} / {method}")
            rows.append(Row("held", name, method, None, run_worker(spec, args.threads)))

    synthetic_methods = [m for m in SYNTHETIC_METHODS if args.methods is None or m in args.methods]
    for method in [*synthetic_methods, *([CTGAN] if with_ctgan else [])]:
        previous = None
        # --quick keeps CTGAN to the smallest size: its per-column preprocessing alone takes ~15 s there.
        limit = args.time_limit if method == CTGAN else args.scaling_time_limit
        for n in args.sizes[:1] if method == CTGAN and args.quick else args.sizes:
            row = Row("synthetic", f"synthetic d={args.features}", method, n)
            guess = predicted_over_limit(previous, n, limit)
            if guess is not None:
                why = ("the previous size did not finish" if math.isinf(guess)
                       else f"predicted ≈ {guess:.0f} s from n = {previous.n_majority:,}")
                row.result = {"status": "skipped", "note": f"{why}, over the {limit:g} s limit"}
                log(f"synthetic n={n:,} / {method}: skipped ({row.result['note']})")
            else:
                spec = {**base, "kind": "synthetic", "dataset": "synthetic", "method": method,
                        "n_majority": n, "n_features": args.features, "time_limit": limit}
                log(f"synthetic n={n:,} / {method}")
                row.result = run_worker(spec, args.threads)
            rows.append(row)
            previous = row
    return rows, notes
