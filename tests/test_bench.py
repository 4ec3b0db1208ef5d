"""scripts/bench.py (every sampler's ``fit_resample`` time and memory) on tiny settings: every section of its
report, the in-process worker, its synthetic data, skipping prediction and how it reads a reproduction log. No
timing asserted."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pytest


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_script", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_end_to_end_tiny_run_writes_every_section(bench, tmp_path):
    out = tmp_path / "bench.md"
    log = tmp_path / "reproduce.log"
    log.write_text("reproduce: experiment 'paper', 10 seed(s), 2 worker(s)\n"
                   "[sweep 1/1] usps tables: 110 cells (11 methods x 10 seeds x r=0.01), 110 to run | elapsed 0:00:01\n"
                   "reproduce: finished | elapsed 0:41:07\n")
    code = bench.main(["--datasets", "none", "--methods", "smote,glgan", "--sizes", "100,1000000",
                       "--features", "4", "--no-ctgan", "--time-limit", "1e-9", "--scaling-time-limit", "1e-9",
                       "--reproduce-log", str(log), "--out", str(out)])
    text = out.read_text()
    assert code == 0
    for heading in ("## Setup", "## Held datasets", "## Synthetic data", "### GL-GAN scaling",
                    "## External reference: CTGAN", "## Full reproduction"):
        assert heading in text
    # SMOTE at n = 100 is measured (the limit only stops fits that overrun it) ...
    smote_100 = next(line for line in text.splitlines() if line.startswith("| smote | 100 |"))
    assert smote_100.endswith("| ok |") and "| 1.0 |" in smote_100
    # ... and the 10^6 size, predicted far over the limit from it, is marked skipped, not left out.
    assert "| smote | 1,000,000 | — |" in text and "skipped: predicted" in text
    assert "CTGAN was not run" in text
    assert "**0:41:07** in total" in text and "usps tables (11 methods)" in text
    assert "Git commit" in text and "Threads per measurement: 1" in text

    # --render-only rewrites the report from the saved measurements, e.g. without the reproduce log.
    assert (tmp_path / "bench.json").is_file()
    assert bench.main(["--render-only", "--out", str(out)]) == 0
    rerendered = out.read_text()
    assert "not measured in this run" in rerendered and smote_100 in rerendered
    assert "Rewritten from the saved measurements by `python scripts/bench.py --render-only" in rerendered


def test_worker_measures_one_fit_in_process(bench):
    spec = {"kind": "synthetic", "dataset": "synthetic", "method": "smote", "n_majority": 300,
            "n_features": 3, "experiment": "paper", "threads": 1, "device": "cpu", "time_limit": 60}
    import torch

    threads = torch.get_num_threads()
    try:
        result = bench.measure(spec)
    finally:
        torch.set_num_threads(threads)  # measure() sets the worker's thread count
    assert result["status"] == "ok"
    assert result["n_rows"] == 303 and result["n_minority"] == 3 and result["n_synthetic"] == 297
    assert result["peak_rss"] > 0 and result["output_bytes"] > result["input_bytes"]


def test_synthetic_data_shape_ratio_and_range(bench):
    X, y = bench.synthetic_data(1000, 7, seed=0)
    assert X.dtype == np.float32 and X.shape == (1010, 7)
    assert np.sum(y == 1) == 10
    assert X.min() >= 0 and X.max() <= 1
    assert X[y == 1].min() >= 0.25 and X[y == 1].max() <= 0.75
    X2, _ = bench.synthetic_data(1000, 7, seed=0)
    assert np.array_equal(X, X2)


def test_skip_prediction(bench):
    Row = bench.Row
    fast = Row("synthetic", "s", "glgan", 1000, {"status": "ok", "seconds": 2.0})
    assert bench.predicted_over_limit(None, 10_000, 60) is None
    assert bench.predicted_over_limit(fast, 10_000, 60) is None  # 20 s predicted
    assert bench.predicted_over_limit(fast, 100_000, 60) == pytest.approx(200.0)
    stopped = Row("synthetic", "s", "glgan", 1000, {"status": "timeout"})
    assert math.isinf(bench.predicted_over_limit(stopped, 10_000, 60))


def test_reproduce_log_missing_or_unfinished_is_said_not_hidden(bench, tmp_path):
    assert "not measured in this run" in bench.reproduce_lines([])[0]
    partial = tmp_path / "partial.log"
    partial.write_text("reproduce: experiment 'paper', 10 seed(s), 2 worker(s)\n")
    lines = bench.reproduce_lines([partial])
    assert "not measured in this run" in lines[0] and "not counted" in lines[1]
