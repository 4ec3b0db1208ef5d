"""The wheel (``pip wheel .``) ships the Hydra configs and the ``glgan-run`` console script and leaves no build/
behind. Installed into a fresh venv and run from another folder, it reads its configs from site-packages; with no
data folder set, a missing file is one line naming the user's cache and nothing is written into site-packages;
with data, its record says which version produced it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from glgan.data import DataFileError, load_dataset, resolve_data_dir

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # builds one wheel and one throwaway venv for the whole module


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    had_build = (ROOT / "build").exists()
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", ".", "-w", str(out), "--no-deps",
                           "--no-build-isolation", "-q"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert had_build or not (ROOT / "build").exists(), "building left build/ in the checkout"
    (path,) = out.glob("glgan_repro-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """``(python of a fresh venv holding only the wheel, its site-packages)``; dependencies via PYTHONPATH."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    with zipfile.ZipFile(wheel) as archive:  # what `pip install --no-deps` does for a pure-Python wheel
        archive.extractall(site)
    return python, site


def installed_python(installed, cwd, *args, **env):
    """The venv's python with ``args``, in ``cwd``, with no GLGAN_DATA_DIR unless ``env`` sets it."""
    python, _ = installed
    environ = {k: v for k, v in os.environ.items() if k != "GLGAN_DATA_DIR"}
    # The dependencies come from this interpreter's site-packages (its editable glgan .pth is not read there).
    environ.update(PYTHONPATH=sysconfig.get_paths()["purelib"], OMP_NUM_THREADS="1", **env)
    return subprocess.run([str(python), *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=300)


def glgan_run(installed, cwd, *args, **env):
    command = "import sys; from glgan.run import main; sys.argv[0] = 'glgan-run'; main()"
    return installed_python(installed, cwd, "-c", command, *args, **env)


def tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if "__pycache__" not in p.parts}


def test_wheel_holds_every_config_and_the_console_script(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    configs = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "configs").rglob("*.yaml"))
    assert configs and all(f"glgan/{name}" in names for name in configs), sorted(n for n in names if "configs" in n)
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "glgan-run = glgan.run:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_installed_wheel_runs_outside_the_checkout(installed, tmp_path):
    _, site = installed
    done = glgan_run(installed, tmp_path, "dataset=madelon", "method=smote", "--cfg", "job")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "name: madelon" in done.stdout and "results_dir: results/adhoc" in done.stdout
    where = installed_python(installed, tmp_path, "-c", "import glgan.run as r; print(r.CONFIG_DIR)")
    assert where.returncode == 0, where.stderr[-3000:]
    assert Path(where.stdout.strip()) == site / "glgan" / "configs"


def test_no_data_folder_set_is_one_line_in_the_users_cache(installed, tmp_path):
    _, site = installed
    before = tree(site)
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    done = glgan_run(installed, cwd, "dataset=madelon", "method=smote", "seed=0",
                     XDG_CACHE_HOME=str(tmp_path / "cache"), GLGAN_OFFLINE="1")
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1, lines
    cache = tmp_path / "cache" / "glgan" / "data" / "madelon"
    assert "data file madelon/madelon.mat is missing" in lines[0] and f"put it into {cache}" in lines[0]
    assert tree(site) == before  # nothing written into the install tree
    assert not (cwd / "outputs").exists() and not (cwd / "multirun").exists()


def test_an_installed_run_records_its_version(installed, tmp_path):
    try:
        load_dataset("usps", download=False)
    except DataFileError as error:
        pytest.skip(f"usps not held here: {str(error).splitlines()[0]}")
    done = glgan_run(installed, tmp_path, "dataset=usps", "method=random", "seed=0", "classifier=[linear_svc]",
                     GLGAN_DATA_DIR=str(resolve_data_dir()))
    assert done.returncode == 0, done.stderr[-3000:]
    (record_file,) = (tmp_path / "results" / "adhoc" / "paper").rglob("*.json")
    (record,) = json.loads(record_file.read_text())["records"]
    assert record["glgan_version"] == "0.1.0" and record["git_commit"] is None  # no git checkout there
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]
