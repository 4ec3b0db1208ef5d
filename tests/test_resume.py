"""Interrupted runs: a reproduction killed with SIGKILL and started again ends exactly where an uninterrupted one
does (a truncated data file: tests/test_cli_errors.py).

The reproduction is `make reproduce-quick` cut down to one held dataset (USPS), three cheap methods, two
seeds and r = 0.01, without the report's sampler re-runs, all under tmp_path.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from glgan.experiment.store import KEY_COLUMNS, ResultStore
from tests.helpers import usps_held

ROOT = Path(__file__).resolve().parents[1]
METHODS = ("imbalanced", "random", "smote")
N_RUNS = len(METHODS) * 2  # two seeds, one ratio
TIMING_FIELDS = {"sampler_seconds", "classifier_seconds", "finished_at"}  # differ between any two runs
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


def reproduce_command(base: Path) -> list[str]:
    return [sys.executable, "scripts/reproduce.py", "--quick", "--datasets", "usps", "--methods", ",".join(METHODS),
            "--seeds", "2", "--ratios", "0.01", "--no-samplers", "--results-dir", str(base / "runs"),
            "--out", str(base / "out")]


def reproduce(base: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(reproduce_command(base), cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def record_files(base: Path) -> list[Path]:
    return sorted((base / "runs" / "quick").glob("*/*/r*/seed*.json"))


def records_without_timing(base: Path) -> dict[str, list[dict]]:
    root = base / "runs" / "quick"
    return {
        str(path.relative_to(root)): [{k: v for k, v in r.items() if k not in TIMING_FIELDS}
                                      for r in json.loads(path.read_text())["records"]]
        for path in record_files(base)
    }


def report_files(base: Path) -> dict[str, bytes]:
    """Every report file, with the records' finishing times (the only run-dependent text) masked."""
    stamp = re.compile(rb"finished \S+ to \S+?(?=[.;}\s])")
    out = base / "out"
    return {str(p.relative_to(out)): stamp.sub(b"finished <time> to <time>", p.read_bytes())
            for p in sorted(out.rglob("*")) if p.is_file()}


def kill_after_first_record(base: Path) -> int:
    """Start the reproduction in its own process group; SIGKILL the whole group once a record exists."""
    process = subprocess.Popen(reproduce_command(base), cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not record_files(base):
            assert process.poll() is None, "the reproduction ended before writing its first record"
            assert time.monotonic() < deadline, "no record within 120 s"
            time.sleep(0.02)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the script, the Hydra sweep and its joblib workers
        process.wait()
    for _ in range(250):  # the killed workers are reaped by init; wait until the group is gone
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.02)
    else:
        pytest.fail(f"processes of the killed group {process.pid} survived SIGKILL")
    return len(record_files(base))


@pytest.mark.slow
@usps_held()
def test_killed_reproduction_resumes_to_the_same_records_and_tables(tmp_path):
    reproduce(tmp_path / "whole")
    assert len(record_files(tmp_path / "whole")) == N_RUNS

    interrupted = tmp_path / "interrupted"
    n_before = kill_after_first_record(interrupted)
    assert 1 <= n_before < N_RUNS, n_before  # killed partway, before the report
    assert not (interrupted / "out").exists()
    for path in record_files(interrupted):  # whatever exists is complete JSON (atomic writes)
        assert len(json.loads(path.read_text())["records"]) == 3

    resumed = reproduce(interrupted)
    assert f"{N_RUNS} cells" in resumed.stdout and f"{N_RUNS - n_before} to run" in resumed.stdout

    # Same record files with the same numbers: nothing lost, duplicated or recomputed differently.
    assert records_without_timing(interrupted) == records_without_timing(tmp_path / "whole")
    loaded = ResultStore(interrupted / "runs" / "quick").load()
    assert len(loaded) == N_RUNS * 3 and not loaded.duplicated(list(KEY_COLUMNS)).any()
    leftovers = list((interrupted / "runs").rglob("*.tmp"))  # a write cut by the kill, never read as a record
    assert all(path.name.startswith(".") for path in leftovers)
    # Identical tables and figures (two complete runs of one configuration agree too).
    assert report_files(interrupted) == report_files(tmp_path / "whole")
