"""`pip wheel .` ships the Hydra configs and the `glgan-run` console script, and leaves no build/ behind."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # builds a wheel and a throwaway venv (about 15 s)


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


def test_wheel_holds_every_config_and_the_console_script(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    configs = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "configs").rglob("*.yaml"))
    assert configs and all(f"glgan/{name}" in names for name in configs), sorted(n for n in names if "configs" in n)
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "glgan-run = glgan.run:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_installed_wheel_runs_outside_the_checkout(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    site = subprocess.run([str(env_dir / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    with zipfile.ZipFile(wheel) as archive:  # what `pip install --no-deps` does for a pure-Python wheel
        archive.extractall(site)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    # The dependencies come from this interpreter's site-packages (its editable glgan .pth is not read there).
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"], "OMP_NUM_THREADS": "1"}
    command = [str(env_dir / "bin" / "python"), "-c", "import sys; from glgan.run import main; sys.argv[0] = 'glgan-run'; main()"]
    done = subprocess.run([*command, "dataset=madelon", "method=smote", "--cfg", "job"], cwd=outside, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "name: madelon" in done.stdout and "results_dir: results/adhoc" in done.stdout
    where = subprocess.run([str(env_dir / "bin" / "python"), "-c", "import glgan.run as r; print(r.CONFIG_DIR)"],
                           cwd=outside, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where) == Path(site) / "glgan" / "configs"
