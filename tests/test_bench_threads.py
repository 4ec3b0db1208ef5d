"""scripts/bench_threads.py (GL-GAN's ``n_threads`` on an idle and a busy machine) on tiny settings: report shape and
busy-process cleanup, no timing asserted."""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_threads_script", ROOT / "scripts" / "bench_threads.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_busy_processes_spin_and_are_killed_even_on_error(bench):
    with pytest.raises(RuntimeError, match="boom"):
        with bench.busy_processes(2) as procs:
            pids = [p.pid for p in procs]
            time.sleep(0.3)
            assert all(p.poll() is None for p in procs)  # still spinning
            raise RuntimeError("boom")
    assert all(p.returncode is not None for p in procs)
    assert all(_gone(pid) for pid in pids)


def test_quick_case_report_has_table_and_verdicts(bench, tmp_path):
    X, y, data = bench.load_data(quick=True)
    assert X.min() >= 0 and X.max() <= 1 and set(np.unique(y)) == {0, 1}
    path = tmp_path / "data.npz"
    np.savez(path, X=X, y=y)
    # one fresh worker (each costs a few seconds of imports); the other rows are made up for the rendering
    rows = bench.run_case("idle", str(path), quick=True, variants=("None",), time_limit=60)
    assert [r["variant"] for r in rows] == ["None"]
    assert rows[0]["seconds"] is not None and rows[0]["seconds"] > 0, rows
    assert rows[0]["threads_at_start"] >= 1 and rows[0]["torch"]
    rows += [{"case": "idle", "variant": "pinned", "runs": 1, "errors": [], "seconds": 2.0},
             {"case": "idle", "variant": "default", "runs": 1, "errors": [], "seconds": 2.5},
             {"case": "busy1", "variant": "default", "runs": 1, "errors": ["timeout (> 1 s)"], "seconds": None}]
    report = bench.render(rows, data=data, load=(0.5, 0.7), command="python scripts/bench_threads.py --quick",
                          seconds=3.0)
    assert "| case | n_threads | seconds | ratio to reference | runs |" in report
    assert "| idle | default (1) |" in report and "| idle | None + caller pins 1 thread (reference) |" in report
    assert "| idle | default (1) | 2.50 | 1.25 | 1 |" in report
    assert "- idle: default within 1.5x of one pinned thread: yes (1.25x)" in report
    assert "- busy1: default within 1.5x of one pinned thread: n/a" in report
    assert "Load average (1 min) before / after: 0.50 / 0.70" in report
    assert "Commit: `" in report and "logical cores" in report and "tiny synthetic" in report
