"""The :class:`Dataset` record every loader returns, and where the data directory is."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["Dataset", "resolve_data_dir", "user_data_dir", "is_checkout", "PROJECT_ROOT"]

#: The folder holding the ``glgan`` package.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, eq=False)
class Dataset:
    """A loaded dataset with its original class labels and a record of which files it came from.

    Attributes
    ----------
    name : str
        One of :data:`glgan.data.DATASETS`.
    X : ndarray of shape (n_samples, n_features), float64
    y : ndarray of shape (n_samples,), int64
        The dataset's original class labels (digits 0..9, gas 1..6, sensorless 1..11, ±1).
    source : str
        Which files and form were read.
    variant : str
        ``"complete"``, or a description of what is missing (e.g. which gas drift batches).
    is_partial : bool
        True when rows of the canonical dataset are missing.
    files : tuple of (str, str)
        ``(path relative to the data directory, sha256)`` of every file read.
    """

    name: str
    X: np.ndarray
    y: np.ndarray
    source: str
    variant: str
    is_partial: bool
    files: tuple[tuple[str, str], ...]

    def __post_init__(self):
        if self.X.dtype != np.float64 or self.X.ndim != 2:
            raise TypeError(f"Dataset.X must be a 2-D float64 array, got {self.X.dtype} {self.X.shape}")
        if self.y.dtype != np.int64 or self.y.shape != (self.X.shape[0],):
            raise TypeError(
                f"Dataset.y must be int64 of shape ({self.X.shape[0]},), got {self.y.dtype} {self.y.shape}"
            )

    @property
    def n_features(self) -> int:
        return self.X.shape[1]

    def class_counts(self) -> dict[int, int]:
        """``{label: count}`` in ascending label order."""
        labels, counts = np.unique(self.y, return_counts=True)
        return dict(zip(labels.tolist(), counts.tolist()))


def is_checkout(root: Path | None = None) -> bool:
    """Whether ``root`` (default: the folder holding ``glgan/``) is a source checkout, not site-packages.

    A checkout has ``pyproject.toml`` beside ``glgan/``; an installed package's folder does not.
    """
    root = PROJECT_ROOT if root is None else root
    return (root / "pyproject.toml").is_file() and (root / "glgan").is_dir()


def user_data_dir() -> Path:
    """The installed package's default data folder: ``<the platform's user cache folder>/glgan/data``.

    ``~/.cache/glgan/data`` on Linux (``$XDG_CACHE_HOME`` respected), ``~/Library/Caches/glgan/data`` on
    macOS, ``%LOCALAPPDATA%\\glgan\\Cache\\data`` on Windows (:func:`platformdirs.user_cache_path`).
    """
    from platformdirs import user_cache_path

    return user_cache_path("glgan", appauthor=False) / "data"


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """Where the dataset folders live.

    ``data_dir`` if given, else ``$GLGAN_DATA_DIR`` if set. In a source checkout (the folder holding
    ``glgan/`` also holds ``pyproject.toml``): ``<checkout>/../shared/data`` if that folder exists, else
    ``<checkout>/data``. An installed package never uses its install tree: its default is
    :func:`user_data_dir`, the user's cache folder.
    """
    if data_dir is not None:
        return Path(data_dir).expanduser()
    if os.environ.get("GLGAN_DATA_DIR"):
        return Path(os.environ["GLGAN_DATA_DIR"]).expanduser()
    if not is_checkout():
        return user_data_dir()
    shared = PROJECT_ROOT.parent / "shared" / "data"
    if shared.is_dir():
        return shared
    return PROJECT_ROOT / "data"
