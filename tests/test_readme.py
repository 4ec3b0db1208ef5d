"""README runs as written: every Python block executes on its own, and its commands use the venv."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
PYTHON_BLOCKS = re.findall(r"^```python\n(.*?)^```", README, flags=re.M | re.S)
BASH_BLOCKS = re.findall(r"^```bash\n(.*?)^```", README, flags=re.M | re.S)


def test_readme_has_python_blocks():
    assert len(PYTHON_BLOCKS) >= 2


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)))
def test_python_block_runs_on_its_own(index, tmp_path):
    """Each block in a fresh interpreter, outside the checkout: it must define everything it uses."""
    env = {**os.environ, "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}
    done = subprocess.run([sys.executable, "-c", PYTHON_BLOCKS[index]], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"README python block {index} failed:\n{PYTHON_BLOCKS[index]}\n{done.stderr[-3000:]}"
    assert done.stdout.strip(), "a README block should show its result"


def test_commands_use_the_venv_and_name_real_folders():
    for block in BASH_BLOCKS:
        for line in block.splitlines():
            assert not re.match(r"\s*python3? ", line), f"bare python (no venv, no pandas): {line}"
    assert "./glgan-repro" not in README  # a clone has no such folder: `pip install .` from its root
