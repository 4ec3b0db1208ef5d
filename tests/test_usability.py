"""Issue 14: clear config errors before any work, quiet loaders that stop retrying, the Figure 3 placeholder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pooch
import pytest
import requests
from hydra import compose, initialize_config_dir

from glgan.data import MissingDataError, files, load_dataset
from glgan.experiment.config_check import CONFIG_DIR, ConfigError, check_config
from glgan.report import figures

ROOT = Path(__file__).resolve().parents[1]


def compose_config(*overrides):
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose("config", overrides=list(overrides))


# ------------------------------------------------------------------ config validation


@pytest.mark.parametrize("override, expected", [
    ("+ration=0.05", "unknown config key(s) ration; allowed top-level keys:"),
    ("seed=-1", "seed=-1 is not allowed; a seed is an integer >= 0"),
    ("seed=1.5", "seed=1.5 is not allowed"),
    ("ratio=2", "ratio=2 is not allowed; the imbalance ratio is a number in (0, 1]"),
    ("ratio=0", "ratio=0 is not allowed"),
    ("dataset.name=usp", "dataset.name='usp' is unknown; known datasets:"),
    ("+dataset.allow_partal=true", "unknown key(s) dataset.allow_partal; allowed under dataset:"),
    ("+sampler_overrides.glgn.latent_dim=8", "sampler_overrides for unknown method(s) glgn; known methods:"),
    ("threads=0", "threads=0 is not allowed"),
])
def test_bad_configs_fail_with_one_line(override, expected):
    with pytest.raises(ConfigError) as info:
        check_config(compose_config(override), CONFIG_DIR)
    message = str(info.value)
    assert expected in message and "\n" not in message


def test_every_shipped_config_passes():
    for group in ("dataset", "method", "experiment"):
        for path in sorted((CONFIG_DIR / group).glob("*.yaml")):
            cfg = compose_config(f"{group}={path.stem}")
            check_config(cfg, CONFIG_DIR, dataset_choice=path.stem if group == "dataset" else None)
    check_config(compose_config("method=glgan", "+sampler_overrides.glgan.latent_dim=8"), CONFIG_DIR)


def test_allowed_keys_are_read_from_the_config_tree():
    from glgan.experiment.config_check import allowed_top_level

    allowed = allowed_top_level(CONFIG_DIR)
    assert {"seed", "ratio", "dataset", "method", "experiment", "sampler_overrides", "reproduce"} <= allowed


def test_command_line_prints_one_line_and_loads_nothing(tmp_path):
    env = {**os.environ, "GLGAN_DATA_DIR": str(tmp_path / "no-data"), "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-m", "glgan.run", "+ration=0.05", f"results_dir={tmp_path}",
                           f"hydra.run.dir={tmp_path}/hydra"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [lines[0]] and lines[0].startswith("glgan.run: invalid configuration: unknown config key")
    assert "Traceback" not in done.stderr and not list(tmp_path.rglob("*.json"))


# ------------------------------------------------------------------ loaders: no pointless network attempts


def _count_retrieves(monkeypatch):
    tried = []

    def unreachable(url, **kwargs):
        tried.append(url)
        raise requests.ConnectionError(f"cannot reach {url}")

    monkeypatch.setattr(pooch, "retrieve", unreachable)
    return tried


def test_offline_flag_means_no_network_attempt(monkeypatch, tmp_path):
    tried = _count_retrieves(monkeypatch)
    monkeypatch.setenv("GLGAN_OFFLINE", "1")
    with pytest.raises(MissingDataError, match="not attempted: GLGAN_OFFLINE is set"):
        load_dataset("sensorless", tmp_path, download=True)
    assert tried == []


def test_a_failed_download_is_not_retried_until_asked(monkeypatch, tmp_path):
    tried = _count_retrieves(monkeypatch)
    with pytest.raises(MissingDataError, match="Automatic download failed"):
        load_dataset("sensorless", tmp_path, download=True)
    assert len(tried) == 1
    assert (files.cache_dir() / files.FAILURES_FILE).is_file()
    assert not (tmp_path / files.FAILURES_FILE).exists()  # remembered outside the data folder
    with pytest.raises(MissingDataError, match="GLGAN_RETRY_DOWNLOADS=1"):
        load_dataset("sensorless", tmp_path, download=True)
    assert len(tried) == 1  # the second load did not touch the network
    monkeypatch.setenv("GLGAN_RETRY_DOWNLOADS", "1")
    with pytest.raises(MissingDataError):
        load_dataset("sensorless", tmp_path, download=True)
    assert len(tried) == 2


def test_a_read_only_data_folder_is_never_written(monkeypatch, tmp_path):
    tried = _count_retrieves(monkeypatch)
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o555)
    try:
        with pytest.raises(MissingDataError, match="is not writable"):
            load_dataset("sensorless", shared, download=True)
    finally:
        shared.chmod(0o755)
    assert tried == [] and list(shared.iterdir()) == []


def test_read_only_check_follows_permissions(monkeypatch, tmp_path):
    monkeypatch.setattr(files.os, "access", lambda path, mode: False)
    assert "is not writable" in files.download_blocked(["sensorless/x.txt"], tmp_path)


# ------------------------------------------------------------------ Figure 3 placeholder


def test_figure_placeholder_says_the_data_is_not_held(tmp_path):
    import pandas as pd

    fig = figures.data_not_held_figure("gisette", 3, "gisette: SKIPPED, not held: missing <data>/gisette/x")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts[0] == "Gisette data not held here" and "Figure 3 is not reproduced" in texts[1]
    assert "missing <data>/gisette/x" in texts[2]
    columns = ["dataset", "classifier", "metric", "method", "ratio", "mean", "std", "n_seeds"]
    paths = figures.mcc_vs_r(pd.DataFrame(columns=columns), "gisette", 3, ["glgan"], tmp_path / "fig3",
                             experiment="paper", missing_reason="not held", data_held=False)
    assert [p.suffix for p in paths] == [".png", ".pdf"] and all(p.stat().st_size > 1000 for p in paths)


# ------------------------------------------------------------------ quiet logs


def test_launcher_job_lines_are_dropped():
    import logging

    from glgan.logs import DropJobLines

    keep = DropJobLines().filter
    line = lambda msg: logging.LogRecord("hydra", logging.INFO, __file__, 1, msg, None, None)  # noqa: E731
    assert not keep(line("\t#3 : dataset=usps method=smote seed=1"))
    assert keep(line("Launching jobs, sweep output dir : multirun/x"))


def test_partial_data_note_once_per_sweep(tmp_path, monkeypatch, caplog):
    import logging
    from types import SimpleNamespace

    from hydra.types import RunMode

    from glgan import run as runner

    fake = SimpleNamespace(mode=RunMode.MULTIRUN, sweep=SimpleNamespace(dir=str(tmp_path)))
    monkeypatch.setattr(runner.HydraConfig, "get", staticmethod(lambda: fake))
    with caplog.at_level(logging.WARNING, logger="glgan.run"):
        for _ in range(3):  # three runs of one sweep (the marker file works across worker processes too)
            runner.note_once("gas_drift: loading only batches 1-6,8,9")
        runner.note_once("another note")
    assert caplog.text.count("loading only batches") == 1 and caplog.text.count("another note") == 1


def _madelon_held():
    try:
        load_dataset("madelon", download=False)
    except files.DataFileError as error:
        return pytest.mark.skip(reason=f"madelon not held here: {str(error).splitlines()[0]}")
    return pytest.mark.skipif(False, reason="")


@pytest.mark.slow
@_madelon_held()
def test_a_sweep_prints_one_line_per_run(tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-m", "glgan.run", "-m", "dataset=madelon", "method=imbalanced",
                           "seed=0,1", "classifier=[linear_svc]", f"results_dir={tmp_path}",
                           f"hydra.sweep.dir={tmp_path}/sweep"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = (done.stdout + done.stderr).strip().splitlines()
    runs = [line for line in lines if "madelon/imbalanced r=0.01 seed=" in line]
    assert len(runs) == 2 and all("linear_svc mcc=" in line for line in runs)
    assert not [line for line in lines if "\t#" in line or "memory leak" in line or "Warning" in line]
    assert len(lines) <= 4, lines  # two launcher header lines, then one line per run
