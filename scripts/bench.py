"""Benchmark every sampler's ``fit_resample``: seconds and peak memory -> results/bench.md.

    python scripts/bench.py                       # the full benchmark, 1 thread (23 min at c49385b; about half of it CTGAN)
    python scripts/bench.py --quick               # smoke run, under 2 minutes
    python scripts/bench.py --threads 2           # BLAS/torch threads per measurement
    python scripts/bench.py --methods glgan,smote --device cuda --no-ctgan --out results/bench_gpu.md
    python scripts/bench.py --reproduce-log logs/reproduce.log   # add `make reproduce`'s wall time

What is measured:

* every method of ``configs/method/`` on the r = 0.01 split (seed 0) of each dataset of the paper plan
  that is held here, built and scaled exactly as the runner builds them (``glgan.experiment.cells``);
* GL-GAN and SMOTE on synthetic data with d = 50 features and n_majority in {10^3, ..., 10^6}
  (minority at r = 0.01);
* CTGAN (the ``ctgan`` package, ``requirements-bench.txt``) on the same data as the external reference.

Each measurement runs in a fresh subprocess (``--worker``), so one sampler's allocations cannot inflate
another's peak. Memory is the process's resident set: the peak (``VmHWM``, the quantity
``resource.getrusage`` reports as ``ru_maxrss``) is reset through ``/proc/self/clear_refs`` just before
``fit_resample``, after the data is built and the loaded dataset freed, so it covers the fit alone.
Where that reset is unavailable (not Linux), the peak covers the whole process and the report says so.
A measurement is stopped at ``--time-limit`` seconds (``--scaling-time-limit`` for GL-GAN's and SMOTE's
synthetic sizes, whose n = 10^6 row the scaling target needs), and a size is skipped without running when
the previous size's time, scaled linearly in n, predicts it would exceed the limit. Both are marked in the
report; nothing is left out silently.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy/torch load; --threads overrides it per measurement

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import shlex  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The library holds the benchmark; the names not used here stay reachable through this script (tests/test_bench.py).
from glgan.speed.driver import all_methods, log, predicted_over_limit, run_benchmark  # noqa: E402,F401
from glgan.speed.report import (  # noqa: E402
    _shown, load_measurements, machine_lines, save_measurements, write_report,
)
from glgan.speed.reproduce_log import reproduce_lines  # noqa: E402,F401
from glgan.speed.settings import FEATURES, QUICK_SIZES, SIZES, Row  # noqa: E402,F401
from glgan.speed.worker import measure, synthetic_data, worker_main  # noqa: E402,F401


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run (< 2 min): USPS only, imbalanced/smote/glgan, sizes 10^3 and 10^4, the quick "
                             "experiment's short training, CTGAN for 1 epoch at the smallest size only")
    parser.add_argument("--threads", type=int, default=1, help="threads per measurement (default: 1)")
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda: where the torch samplers train")
    parser.add_argument("--experiment", default=None, help="sampler settings: paper (default) or quick")
    parser.add_argument("--methods", default=None, help="comma-separated methods (default: every configs/method)")
    parser.add_argument("--datasets", default=None,
                        help="comma-separated held datasets, 'none' for none (default: the paper plan's)")
    parser.add_argument("--sizes", default=None, help="comma-separated synthetic majority sizes")
    parser.add_argument("--features", type=int, default=FEATURES, help="synthetic features (default: 50)")
    parser.add_argument("--time-limit", type=float, default=None,
                        help="seconds per fit before it is stopped (default: 600; 60 with --quick)")
    parser.add_argument("--scaling-time-limit", type=float, default=None,
                        help="seconds per fit for GL-GAN's and SMOTE's synthetic sizes (default: 2400, so that "
                             "n = 10^6 runs; --time-limit with --quick)")
    parser.add_argument("--no-ctgan", action="store_true", help="leave out the CTGAN reference")
    parser.add_argument("--ctgan-epochs", type=int, default=None,
                        help="CTGAN epochs (default: GL-GAN's gan_epochs; 1 with --quick)")
    parser.add_argument("--reproduce-log", type=Path, action="append", default=[],
                        help="saved output of `make reproduce` (repeatable; the elapsed times are summed)")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "bench.md", help="report file")
    parser.add_argument("--render-only", action="store_true",
                        help="measure nothing: rewrite --out from the measurements saved beside it (<out>.json), "
                             "e.g. to add --reproduce-log")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if args.threads < 1:
        parser.error("--threads must be at least 1")
    if not (args.device == "cpu" or args.device.startswith("cuda")):
        parser.error("--device must be cpu or cuda[:N]")
    args.experiment = args.experiment or ("quick" if args.quick else "paper")
    args.time_limit = args.time_limit or (60.0 if args.quick else 600.0)
    args.scaling_time_limit = args.scaling_time_limit or (args.time_limit if args.quick else 2400.0)
    args.methods = args.methods.split(",") if args.methods else (
        ["imbalanced", "smote", "glgan"] if args.quick else None)
    unknown = set(args.methods or ()) - set(all_methods())
    if unknown:
        parser.error(f"unknown method(s) {sorted(unknown)}; choose from {all_methods()}")
    if args.datasets == "none":
        args.datasets = []
    elif args.datasets:
        args.datasets = args.datasets.split(",")
    elif args.quick:
        args.datasets = ["usps"]
    args.sizes = [int(float(s)) for s in args.sizes.split(",")] if args.sizes else list(
        QUICK_SIZES if args.quick else SIZES)
    if args.ctgan_epochs is None and args.quick:
        args.ctgan_epochs = 1
    if args.device.startswith("cuda") and args.worker is None:
        import torch

        if not torch.cuda.is_available():
            parser.error("--device cuda: torch.cuda.is_available() is False (no GPU, or a CPU-only torch build)")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.worker is not None:
        worker_main(args.worker)
        return 0
    saved = args.out.with_suffix(".json")
    if args.render_only:
        measured = load_measurements(saved)
        shown = " ".join(shlex.quote(_shown(a)) for a in ["python", "scripts/bench.py", *args.argv])
        when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
        measured["setup"] = [*measured["setup"], f"- Rewritten from the saved measurements by `{shown}` on "
                             f"{when} UTC (nothing re-measured)."]
        log(f"wrote {write_report(args, measured)} from {saved}")
        _update_docs(args)
        return 0
    if not args.no_ctgan:
        try:
            import ctgan  # noqa: F401
        except ImportError:
            print("bench: the ctgan package is missing; `make bench` installs requirements-bench.txt, or pass "
                  "--no-ctgan", file=sys.stderr)
            return 2
    started = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
    load_before, start = os.getloadavg()[0], time.perf_counter()
    rows, notes = run_benchmark(args)
    setup = machine_lines(args, load_before, os.getloadavg()[0], started, time.perf_counter() - start)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_measurements(saved, args, rows, notes, setup)
    out = write_report(args, {"rows": rows, "notes": notes, "setup": setup, "features": args.features,
                              "ctgan_epochs_overridden": args.ctgan_epochs is not None})
    failed = [r for r in rows if r.result.get("status") == "failed"]
    log(f"wrote {out} ({len(rows)} measurements, {len(failed)} failed) in "
        f"{(time.perf_counter() - start) / 60:.1f} min")
    _update_docs(args)
    return 1 if failed else 0


def _update_docs(args) -> None:
    """The committed measurements feed README's and docs' generated blocks: rewrite them."""
    if args.out.resolve() == (ROOT / "results" / "bench.md").resolve():
        from glgan.report.doc_blocks import update_docs

        for line in update_docs(ROOT):
            log(f"docs: {line}")


if __name__ == "__main__":
    sys.exit(main())
