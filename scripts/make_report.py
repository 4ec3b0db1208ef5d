"""Regenerate every table, figure and the summary of one experiment from its results store.

    python scripts/make_report.py                      # experiment "paper" -> results/
    python scripts/make_report.py --experiment quick   # -> results/quick/
    python scripts/make_report.py --no-samplers        # store only: skip interleaving / MNIST re-runs

Sampler re-runs (interleaving table, Figures 5-6) are cached under results/derived/<experiment>/.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from glgan.experiment.plan import load_plan  # noqa: E402
from glgan.report.make import PAPER_CSV, default_out_dir, make_report  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experiment", default="paper", help="experiment config name (default: paper)")
    parser.add_argument("--results-dir", type=Path, default=ROOT / "results" / "runs",
                        help="the runner's results_dir; records are read from <results-dir>/<experiment>")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: results/ for paper, results/<experiment>/ otherwise)")
    parser.add_argument("--paper-csv", type=Path, default=PAPER_CSV)
    parser.add_argument("--data-dir", default=None, help="dataset folder (default: the loaders' default)")
    parser.add_argument("--datasets", default=None, help="comma-separated subset for the sampler re-runs")
    parser.add_argument("--methods", default=None, help="comma-separated subset for the sampler re-runs")
    parser.add_argument("--seeds", type=int, default=None, help="use only the first N interleaving seeds")
    parser.add_argument("--jobs", type=int, default=1,
                        help="parallel single-threaded workers for the sampler re-runs that are not cached (default: 1)")
    parser.add_argument("--no-samplers", action="store_true",
                        help="skip sampler re-runs (interleaving, Figures 5-6); cached results are still used")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    return args


def split_list(text):
    return None if text is None else [item for item in text.split(",") if item]


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    plan = load_plan(args.experiment).restrict(
        datasets=split_list(args.datasets), methods=split_list(args.methods), seeds=args.seeds)
    out = args.out or default_out_dir(plan.experiment, ROOT / "results")
    start = time.perf_counter()
    claims = make_report(plan, args.results_dir.resolve(), out.resolve(), paper_csv=args.paper_csv,
                         data_dir=args.data_dir, samplers=not args.no_samplers, jobs=args.jobs)
    for claim in claims:
        print(f"  claim: {claim.claim}: {claim.verdict}")
    print(f"report for experiment '{plan.experiment}' written to {out} in {time.perf_counter() - start:.0f} s")
    if out.resolve() == (ROOT / "results").resolve():  # the committed report: README's and docs' blocks follow it
        from glgan.report.doc_blocks import update_docs

        for line in update_docs(ROOT):
            print(f"  docs: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
