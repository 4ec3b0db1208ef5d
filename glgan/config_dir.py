"""Where the Hydra config tree is: a module every layer may import (it imports nothing of the project)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent  # glgan/


def find_config_dir() -> Path:
    """The Hydra config tree: the checkout's top-level ``configs/``, else the copy inside an installed wheel.

    ``configs/`` is the only source; building a wheel copies it to ``glgan/configs`` (see ``setup.py``).
    """
    root = PACKAGE_DIR.parent
    if (root / "configs" / "config.yaml").is_file() and (root / "pyproject.toml").is_file():
        return root / "configs"
    return PACKAGE_DIR / "configs"


CONFIG_DIR = find_config_dir()
