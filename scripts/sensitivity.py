"""GL-GAN's sensitivity to its settings on the KEEL dev list, SMOTE's k beside it (``make sensitivity``).

    python scripts/sensitivity.py                 # every pending run (the sweep, then a second repeat of the values
                                                  # that meet the adoption rule), then results/benchmark-dev/sensitivity.md
    python scripts/sensitivity.py --report-only   # the page from the stored records

The grid is configs/benchmark/sensitivity.yaml; records go to results/runs/sensitivity/ (resumable).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy/torch load: parallel workers must be single-threaded

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from glgan.keel_benchmark.sensitivity import run_confirmation, run_sweep, write_report  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2, help="parallel single-threaded workers (default: 2)")
    parser.add_argument("--results-dir", type=Path, default=ROOT / "results" / "runs" / "sensitivity")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "benchmark-dev")
    parser.add_argument("--report-only", action="store_true", help="write the page from the stored records")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    log = lambda line: print(line, flush=True)  # noqa: E731
    if not args.report_only and (run_sweep(args.results_dir, args.jobs, log=log)
                                 or run_confirmation(args.results_dir, args.jobs, log=log)):
        print("sensitivity: some runs failed; rerun to retry (stored runs are kept)", flush=True)
        return 1
    print(f"sensitivity: wrote {write_report(args.results_dir, args.out)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
