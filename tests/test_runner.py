"""The Hydra runner writes one record per classifier, reuses stored runs, and sweeps in parallel, printing one line
per run; ``--help`` says what it does, and Hydra's own folders go under results_dir, not the current folder."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hydra import compose, initialize_config_dir
from hydra.types import RunMode

import glgan.data
from glgan import run as runner
from glgan.data import Dataset
from glgan.logs import DropJobLines

ROOT = Path(__file__).resolve().parents[1]
RUNNER = "import sys; from glgan.run import main; sys.argv[0] = 'glgan-run'; main()"


def fake_dataset(name, data_dir=None, *, allow_partial=False, download=True):
    rng = np.random.default_rng(0)
    y = np.repeat([-1, 1], 300)
    X = rng.normal(size=(600, 6)) + y[:, None] * 0.8
    return Dataset(name=name, X=X, y=y.astype(np.int64), source="synthetic test data", variant="complete",
                   is_partial=False, files=())


def compose_config(tmp_path, *overrides):
    with initialize_config_dir(config_dir=str(ROOT / "configs"), version_base="1.3"):
        return compose("config", overrides=["dataset=madelon", f"results_dir={tmp_path}", *overrides])


def test_run_writes_one_record_per_classifier_then_reuses_it(tmp_path, monkeypatch):
    monkeypatch.setattr(glgan.data, "load_dataset", fake_dataset)
    cfg = compose_config(tmp_path, "method=random", "seed=1", "ratio=0.05")
    path = runner.run(cfg)
    records = json.loads(path.read_text())["records"]
    assert [r["classifier"] for r in records] == ["mlp", "linear_svc", "adaboost"]
    first = records[0]
    assert first["dataset"] == "madelon" and first["method"] == "random"
    assert (first["seed"], first["ratio"]) == (1, 0.05)
    assert first["n_train_majority"] == 240 and first["n_train_minority"] == 12  # 300 per class, 60 to test
    assert first["n_synthetic"] == 240 - 12 and first["n_resampled_minority"] == 240
    for field in ("macro_f1", "micro_f1", "mcc", "sampler_seconds", "classifier_seconds", "config_hash",
                  "versions", "git_commit", "cpu", "data_variant", "finished_at"):
        assert field in first, field
    assert first["cpu"] and first["cpu"] != "unknown"  # the CPU model, whose kernels the numbers depend on

    def must_not_run(*args, **kwargs):
        raise AssertionError("a stored run was recomputed")

    monkeypatch.setattr(runner, "run_cell", must_not_run)
    assert runner.run(cfg) == path


def test_same_config_and_seed_give_identical_numbers(tmp_path, monkeypatch):
    monkeypatch.setattr(glgan.data, "load_dataset", fake_dataset)
    metrics = []
    for folder in ("a", "b"):
        cfg = compose_config(tmp_path / folder, "method=smote", "seed=3", "ratio=0.05")
        records = json.loads(runner.run(cfg).read_text())["records"]
        metrics.append([(r["macro_f1"], r["micro_f1"], r["mcc"]) for r in records])
    assert metrics[0] == metrics[1]


def test_help_opens_with_what_the_program_does(tmp_path):
    done = subprocess.run([sys.executable, "-c", RUNNER, "--help"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=180, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert done.returncode == 0
    assert done.stdout.startswith("glgan-run: evaluate one over-sampler on one imbalanced split")
    assert "powered by Hydra" not in done.stdout.splitlines()[0]


def test_hydra_run_folders_go_under_results_dir_not_the_cwd():
    with initialize_config_dir(config_dir=str(ROOT / "configs"), version_base="1.3"):
        cfg = compose("config", return_hydra_config=True)
    assert cfg.hydra.run.dir.startswith(f"{cfg.results_dir}/.hydra/")
    assert cfg.hydra.sweep.dir.startswith(f"{cfg.results_dir}/.hydra/")


def test_launcher_job_lines_are_dropped():
    keep = DropJobLines().filter
    line = lambda msg: logging.LogRecord("hydra", logging.INFO, __file__, 1, msg, None, None)  # noqa: E731
    assert not keep(line("\t#3 : dataset=usps method=smote seed=1"))
    assert keep(line("Launching jobs, sweep output dir : multirun/x"))


def test_partial_data_note_once_per_sweep(tmp_path, monkeypatch, caplog):
    fake = SimpleNamespace(mode=RunMode.MULTIRUN, sweep=SimpleNamespace(dir=str(tmp_path)))
    monkeypatch.setattr(runner.HydraConfig, "get", staticmethod(lambda: fake))
    with caplog.at_level(logging.WARNING, logger="glgan.run"):
        for _ in range(3):  # three runs of one sweep (the marker file works across worker processes too)
            runner.note_once("gas_drift: loading only batches 1-6,8,9")
        runner.note_once("another note")
    assert caplog.text.count("loading only batches") == 1 and caplog.text.count("another note") == 1


def held(name):
    try:
        glgan.data.load_dataset(name, download=False)
    except glgan.data.DataFileError as error:
        return pytest.mark.skip(reason=f"{name} not held here: {error}")
    return pytest.mark.skipif(False, reason="")


@pytest.mark.slow
@held("madelon")
def test_command_line_single_run_and_a_joblib_sweep_with_one_line_per_run(tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "glgan.run", "dataset=madelon", "method=smote", "seed=0",
               f"results_dir={tmp_path}", f"hydra.run.dir={tmp_path}/hydra"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    files = list(tmp_path.glob("paper/madelon/smote/r0.01/seed0-*.json"))
    assert len(files) == 1
    records = json.loads(files[0].read_text())["records"]
    assert len(records) == 3 and records[0]["n_train_majority"] == 1040 and records[0]["n_train_minority"] == 10

    sweep = [sys.executable, "-m", "glgan.run", "-m", "dataset=madelon", "method=imbalanced,random",
             "seed=0,1", "classifier=[linear_svc]", f"results_dir={tmp_path}",
             f"hydra.sweep.dir={tmp_path}/multirun"]
    done = subprocess.run(sweep, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(list(tmp_path.glob("paper/madelon/*/r0.01/seed*.json"))) == 5
    # one line per run after the launcher's header, no per-job lines, leak reports or warnings
    lines = (done.stdout + done.stderr).strip().splitlines()
    runs = [line for line in lines if re.search(r"madelon/(imbalanced|random) r=0\.01 seed=", line)]
    assert len(runs) == 4 and all("linear_svc mcc=" in line for line in runs)
    assert not [line for line in lines if "\t#" in line or "memory leak" in line or "Warning" in line]
    assert len(lines) <= 6, lines  # two launcher header lines, then one line per run
