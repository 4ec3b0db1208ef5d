"""Issue 22, a newcomer's first hour: every bad input is one line and exit status 2, the installed package's
data folder is the user's cache, records say which version produced them, Hydra leaves the cwd alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from glgan.data import MissingDataError, dataset as dataset_module, load_dataset, resolve_data_dir
from glgan.experiment.store import ResultStore, RunKey, package_version

ROOT = Path(__file__).resolve().parents[1]
RUNNER = "import sys; from glgan.run import main; sys.argv[0] = 'glgan-run'; main()"


def glgan_run(*args, tmp_path, preamble="", env=None, cwd=None):
    """``glgan-run args`` in a subprocess; results and Hydra's folders under ``tmp_path``."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "GLGAN_OFFLINE": "1", **(env or {})}
    return subprocess.run([sys.executable, "-c", preamble + RUNNER, *args, f"results_dir={tmp_path}/results"],
                          cwd=cwd or tmp_path, env=env, capture_output=True, text=True, timeout=180)


def one_line(done) -> str:
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(lines) == 1 and "Traceback" not in lines[0], lines
    return lines[0]


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
    import pickle

    error = pickle.loads(pickle.dumps(MissingDataError("long\ntext", "short line")))
    assert str(error) == "long\ntext" and error.summary == "short line"


# ------------------------------------------------------------------ the data folder of an installed package


def test_an_installed_package_uses_the_users_cache_never_its_install_tree(monkeypatch, tmp_path):
    site = tmp_path / "site-packages"  # what PROJECT_ROOT is for an installed package: no pyproject.toml
    (site / "glgan").mkdir(parents=True)
    monkeypatch.setattr(dataset_module, "PROJECT_ROOT", site)
    monkeypatch.delenv("GLGAN_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("GLGAN_OFFLINE", "1")
    if sys.platform.startswith("linux"):
        assert resolve_data_dir() == tmp_path / "cache" / "glgan" / "data"
    assert site not in resolve_data_dir().parents
    with pytest.raises(MissingDataError) as info:
        load_dataset("madelon")
    assert str(resolve_data_dir() / "madelon") in info.value.summary
    assert sorted(p.name for p in site.rglob("*")) == ["glgan"]  # nothing created in the install tree
    monkeypatch.setenv("GLGAN_DATA_DIR", str(tmp_path / "mine"))
    assert resolve_data_dir() == tmp_path / "mine"


def test_a_checkout_keeps_its_data_folders():
    assert dataset_module.is_checkout(ROOT)
    if not os.environ.get("GLGAN_DATA_DIR"):
        assert resolve_data_dir() in (ROOT.parent / "shared" / "data", ROOT / "data")


# ------------------------------------------------------------------ records say what produced them


def test_records_carry_the_package_version_and_old_records_still_load(tmp_path):
    store = ResultStore(tmp_path)
    old = RunKey("usps", "smote", 0.01, 0, "abc")
    store.path_for(old).parent.mkdir(parents=True)
    store.path_for(old).write_text(json.dumps({"key": old.__dict__, "records": [
        {"dataset": "usps", "method": "smote", "ratio": 0.01, "seed": 0, "classifier": "mlp", "mcc": 0.5,
         "finished_at": "2026-01-01T00:00:00+00:00"}]}))
    new = RunKey("usps", "smote", 0.01, 1, "abc")
    store.write(new, [{"dataset": "usps", "method": "smote", "ratio": 0.01, "seed": 1, "classifier": "mlp",
                       "mcc": 0.6, "finished_at": "2026-01-02T00:00:00+00:00"}])
    assert package_version() and store.read(new)[0]["glgan_version"] == package_version()
    assert store.read(new)[0]["mcc"] == 0.6
    frame = store.load()
    assert len(frame) == 2 and frame.set_index("seed")["glgan_version"].isna().tolist() == [True, False]


# ------------------------------------------------------------------ first impressions of the command line


def test_help_opens_with_what_the_program_does(tmp_path):
    done = glgan_run("--help", tmp_path=tmp_path)
    assert done.returncode == 0
    assert done.stdout.startswith("glgan-run: evaluate one over-sampler on one imbalanced split")
    assert "powered by Hydra" not in done.stdout.splitlines()[0]


def test_hydra_run_folders_go_under_results_dir_not_the_cwd():
    from hydra import compose, initialize_config_dir

    from glgan.experiment.config_check import CONFIG_DIR

    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("config", return_hydra_config=True)
    assert cfg.hydra.run.dir.startswith(f"{cfg.results_dir}/.hydra/")
    assert cfg.hydra.sweep.dir.startswith(f"{cfg.results_dir}/.hydra/")


def test_the_collapse_warning_names_the_class_plainly():
    import numpy as np

    from glgan import GLGAN

    sampler = GLGAN()
    sampler.spread_ratio_ = {}
    with pytest.warns(UserWarning, match=r"synthetic rows of class 1 spread only"):
        sampler._warn_if_collapsed(np.int64(1), np.zeros((5, 2)), np.eye(5, 2))


def test_every_shipped_method_passes_the_sampler_checks():
    """The new checks (class imports, every constructor argument known) accept every shipped combination."""
    from hydra import compose, initialize_config_dir

    from glgan.experiment.config_check import CONFIG_DIR
    from glgan.run import check_run_config

    methods = sorted(p.stem for p in (CONFIG_DIR / "method").glob("*.yaml"))
    for experiment, extra in (("paper", []), ("quick", []), ("benchmark-dev", ["dataset.set=yeast3"])):
        for method in methods:
            with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
                cfg = compose("config", overrides=[f"experiment={experiment}", f"method={method}", *extra])
            check_run_config(cfg)


def test_a_corrupt_data_file_is_one_line(tmp_path):
    bad = tmp_path / "data" / "madelon" / "madelon.mat"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"not a mat file")
    line = one_line(glgan_run("dataset=madelon", "method=smote", tmp_path=tmp_path,
                              env={"GLGAN_DATA_DIR": str(tmp_path / "data")}))
    assert line.startswith("glgan.run: CorruptDataError: ") and "does not match its pinned sha256" in line


def test_a_failed_download_is_still_one_line(tmp_path):
    """Online, pooch logs one "Downloading ..." line per mirror tried; the runner keeps only its own line."""
    no_network = ("import pooch\n"
                  "def refuse(self, url, output_file, pooch_obj, check_only=False): raise OSError('no network')\n"
                  "pooch.HTTPDownloader.__call__ = refuse\n")
    line = one_line(glgan_run("dataset=madelon", "method=smote", tmp_path=tmp_path, preamble=no_network,
                              env={"GLGAN_DATA_DIR": str(tmp_path / "data"), "GLGAN_OFFLINE": "0"}))
    assert "madelon/madelon.mat is missing (automatic download failed)" in line
