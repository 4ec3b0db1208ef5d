"""Hydra's submitit launcher, for runs beyond one machine: a tiny local sweep and the SLURM entry."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import usps_held

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("hydra_plugins.hydra_submitit_launcher") is None
                       or importlib.util.find_spec("submitit") is None,
                       reason="hydra-submitit-launcher or submitit is not installed (requirements.txt pins them)"),
]


@pytest.fixture(scope="module")
def local_jobs_start(tmp_path_factory):
    """Skip unless submitit's local executor (what hydra/launcher=local drives) can run a trivial job here.

    Only this decides a skip: once a job can start, a failing sweep is a failure of the runs it launched.
    """
    import operator

    import submitit

    executor = submitit.AutoExecutor(folder=tmp_path_factory.mktemp("submitit-probe"), cluster="local")
    executor.update_parameters(timeout_min=2)
    try:
        job = executor.submit(operator.add, 2, 3)
        result = job.result()
    except Exception as error:  # noqa: BLE001 - any reason the launcher cannot start a job here
        pytest.skip(f"submitit's local executor cannot start a job here: {type(error).__name__}: {error}")
    assert result == 5


def run_glgan(*overrides: str, timeout: int = 240) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "glgan.run", *overrides], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@usps_held()  # the sweep runs the default dataset; a run without its files fails, as it should
def test_local_submitit_sweep_writes_a_consistent_store(tmp_path, local_jobs_start):
    from glgan.experiment.store import ResultStore

    sweep = ["-m", "hydra/launcher=local", "method=random,imbalanced", "seed=0,1", "classifier=[linear_svc]",
             f"results_dir={tmp_path / 'results'}", f"hydra.sweep.dir={tmp_path / 'sweep'}"]
    done = run_glgan(*sweep)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Submitit 'local' sweep" in done.stdout + done.stderr

    # Four jobs, each a separate process, wrote into one store at the same time: one complete file
    # per run, no temporary file left behind, and every record readable.
    root = tmp_path / "results" / "paper"
    assert len(list(root.rglob("*.json"))) == 4
    assert not list(root.rglob("*.tmp"))
    records = ResultStore(root).load()
    assert sorted(zip(records["method"], records["seed"])) == [
        ("imbalanced", 0), ("imbalanced", 1), ("random", 0), ("random", 1)]
    assert set(records["classifier"]) == {"linear_svc"}

    # A second submission finds every run stored and recomputes nothing.
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*.json")}
    again = run_glgan(*sweep[:-1], f"hydra.sweep.dir={tmp_path / 'sweep2'}")
    assert again.returncode == 0, again.stderr[-2000:]
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*.json")} == before


def test_slurm_entry_composes_single_threaded_array_tasks():
    done = run_glgan("hydra/launcher=slurm", "hydra.launcher.partition=test", "--cfg", "hydra", "--package",
                     "hydra.launcher", timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    text = done.stdout
    assert "SlurmLauncher" in text
    assert "cpus_per_task: 1" in text and "partition: test" in text
    assert "OMP_NUM_THREADS=1" in text
