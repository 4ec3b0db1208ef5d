"""Bad input to the command line (``glgan-run``, ``python -m glgan.run``) stops the run before any work with one
line on stderr and exit status 2: an unknown or out-of-range config value, a missing optional package, missing,
partial, corrupt or undownloadable data. Also the config check's one-line messages, checked in process. (The same
missing-data line from an installed wheel: tests/test_packaging.py.)"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir

from glgan.data import MissingDataError, files, resolve_data_dir
from glgan.experiment.config_check import (
    CONFIG_DIR,
    ConfigError,
    allowed_top_level,
    check_config,
)
from tests.helpers import usps_held

ROOT = Path(__file__).resolve().parents[1]
RUNNER = "import sys; from glgan.run import main; sys.argv[0] = 'glgan-run'; main()"


def glgan_run(*args, tmp_path, preamble="", env=None, cwd=None):
    """``glgan-run args`` in a subprocess; results and Hydra's folders under ``tmp_path``."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "GLGAN_OFFLINE": "1", **(env or {})}
    return subprocess.run([sys.executable, "-c", preamble + RUNNER, *args, f"results_dir={tmp_path}/results"],
                          cwd=cwd or tmp_path, env=env, capture_output=True, text=True, timeout=180)


def one_line(done) -> str:
    """The one line a failed run printed: exit status 2, nothing on stdout, one line on stderr, no traceback."""
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2, done.stdout + done.stderr
    assert not done.stdout.strip(), done.stdout
    assert len(lines) == 1 and "Traceback" not in lines[0], lines
    return lines[0]


def compose_config(*overrides):
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose("config", overrides=list(overrides))


# ------------------------------------------------------------------ bad config values on the command line


@pytest.mark.parametrize("args, expected", [
    (["dataset=madelonn"], ["dataset=madelonn is unknown (did you mean madelon?)", "allowed dataset values:", "usps"]),
    (["method=smoote"], ["method=smoote is unknown (did you mean smote?)", "allowed method values:", "glgan"]),
    (["-m", "method=smote,smoote"], ["method=smoote is unknown"]),
    (["classifier=[mlp,svm]"], ["classifier=svm is unknown", "linear_svc"]),
    (["dataset=keel"], ["dataset=keel holds the KEEL benchmark sets", "experiment=benchmark-dev dataset.set=<set>",
                        "yeast3"]),
    (["method=glgan", "+sampler_overrides.glgan.latnt_dim=32"],
     ["sampler_overrides.glgan.latnt_dim: GLGAN has no parameter 'latnt_dim' (did you mean latent_dim?)",
      "its parameters:", "latent_dim"]),
    (["experiment=benchmark-dev", "dataset.set=yeast33"], ["KEEL set 'yeast33' is on neither", "did you mean yeast3?"]),
    (["experiment=benchmark-dev", "dataset=usps"], ["cross-validates KEEL sets only"]),
    (["ratio=2"], ["ratio=2 is not allowed"]),
    (["+ration=0.05"], ["unknown config key(s) ration"]),
    (["seed=-1"], ["seed=-1 is not allowed"]),
    (["seed=abc"], ["seed='abc' is not allowed"]),
    (["ratio=0"], ["ratio=0 is not allowed"]),
])
def test_bad_input_is_one_line_and_exit_2(args, expected, tmp_path):
    line = one_line(glgan_run(*args, tmp_path=tmp_path))
    assert line.startswith("glgan.run: invalid configuration: ")
    assert all(text in line for text in expected), line
    assert not list(tmp_path.rglob("*.json"))


def test_a_missing_optional_package_names_itself_and_its_install_command(tmp_path):
    hide = "import sys; sys.modules['smote_variants'] = None; "  # as if smote-variants were not installed
    line = one_line(glgan_run("method=mdo", tmp_path=tmp_path, preamble=hide))
    assert "method=mdo needs the package smote_variants, which is not installed" in line
    assert "pip install --no-deps smote-variants==1.0.1" in line


# ------------------------------------------------------------------ the same checks in process: the message


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


def test_allowed_keys_are_read_from_the_config_tree():
    allowed = allowed_top_level(CONFIG_DIR)
    assert {"seed", "ratio", "dataset", "method", "experiment", "sampler_overrides", "reproduce"} <= allowed


# ------------------------------------------------------------------ data that is missing, partial or corrupt


def test_partial_gas_drift_without_allow_partial_is_one_useful_line(tmp_path):
    data = tmp_path / "data" / "gas_drift" / "Dataset"
    data.mkdir(parents=True)
    (data / "batch1.dat").write_text("1;1 1:0.5\n")  # one batch present, nine missing (content never read)
    line = one_line(glgan_run("dataset=gas_drift", tmp_path=tmp_path, env={"GLGAN_DATA_DIR": str(tmp_path / "data")}))
    assert "only 1 of the 10 batch files are present" in line and "dataset.allow_partial=true" in line


def test_missing_data_is_one_line_saying_what_to_fetch_and_where(tmp_path):
    data = tmp_path / "empty"
    line = one_line(glgan_run("dataset=madelon", "method=smote", tmp_path=tmp_path, env={"GLGAN_DATA_DIR": str(data)}))
    assert line.startswith("glgan.run: dataset 'madelon': data file madelon/madelon.mat is missing")
    assert "madelon.mat" in line and "https://" in line and f"put it into {data / 'madelon'}" in line
    assert "GLGAN_DATA_DIR" in line and not data.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]  # no outputs/ in the current folder
    assert list((tmp_path / "results" / ".hydra").glob("*/*/.hydra/config.yaml"))


def test_the_error_keeps_its_summary_across_processes():
    error = pickle.loads(pickle.dumps(MissingDataError("long\ntext", "short line")))
    assert str(error) == "long\ntext" and error.summary == "short line"


def test_a_corrupt_data_file_is_one_line(tmp_path):
    bad = tmp_path / "data" / "madelon" / "madelon.mat"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"not a mat file")
    line = one_line(glgan_run("dataset=madelon", "method=smote", tmp_path=tmp_path,
                              env={"GLGAN_DATA_DIR": str(tmp_path / "data")}))
    assert line.startswith("glgan.run: CorruptDataError: ") and "does not match its pinned sha256" in line


@usps_held()
def test_a_truncated_data_file_names_the_file_the_reason_and_the_remedy(tmp_path):
    """``python -m glgan.run`` on a truncated copy of a held file: no fallback to the file's other form."""
    data = tmp_path / "data"
    held = resolve_data_dir() / "usps" / "usps.h5"
    truncated = data / "usps" / "usps.h5"
    truncated.parent.mkdir(parents=True)
    content = held.read_bytes()
    truncated.write_bytes(content[: len(content) // 2])
    other_form = resolve_data_dir() / "usps" / "usps.t.bz2"
    if other_form.is_file():  # a valid file of another form next to it must not be used instead
        (data / "usps" / "usps.t.bz2").symlink_to(other_form)

    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "glgan.run", "dataset=usps", "method=imbalanced", f"data_dir={data}",
               f"results_dir={tmp_path / 'runs'}", f"hydra.run.dir={tmp_path / 'hydra'}"]
    line = one_line(subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120))
    assert "CorruptDataError" in line and f"{truncated} does not match its pinned sha256" in line
    assert files.REGISTRY["usps/usps.h5"].sha256 in line and "Delete it and download it again" in line
    assert not list((tmp_path / "runs").rglob("*.json"))  # nothing computed from it
    assert truncated.stat().st_size == len(content) // 2  # and the file is left for the user to inspect


def test_a_failed_download_is_still_one_line(tmp_path):
    """Online, pooch logs one "Downloading ..." line per mirror tried; the runner keeps only its own line."""
    no_network = ("import pooch\n"
                  "def refuse(self, url, output_file, pooch_obj, check_only=False): raise OSError('no network')\n"
                  "pooch.HTTPDownloader.__call__ = refuse\n")
    line = one_line(glgan_run("dataset=madelon", "method=smote", tmp_path=tmp_path, preamble=no_network,
                              env={"GLGAN_DATA_DIR": str(tmp_path / "data"), "GLGAN_OFFLINE": "0"}))
    assert "madelon/madelon.mat is missing (automatic download failed)" in line
