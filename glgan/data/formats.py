"""Parsers for the file formats shared by several datasets (UCI dense text, MATLAB .mat)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import scipy.io

from glgan.data.files import CorruptDataError

__all__ = ["read_dense_text", "read_labels", "read_mat", "check_labels"]


def read_dense_text(path: Path, n_features: int, *, sep: str = " ") -> np.ndarray:
    """Read a whitespace-separated numeric table (one sample per line) as float64.

    The NIPS 2003 / UCI ``.data`` files end every line with a space, which pandas reads as one extra,
    empty column; that column is dropped. Any other gap or a wrong width is an error.
    """
    try:
        frame = pd.read_csv(path, sep=sep, header=None, engine="c", dtype=np.float64)
    except (ValueError, pd.errors.ParserError) as error:
        raise CorruptDataError(f"{path}: not a table of numbers ({error}).") from error
    if frame.shape[1] == n_features + 1 and frame.iloc[:, -1].isna().all():
        frame = frame.iloc[:, :-1]
    values = frame.to_numpy(dtype=np.float64)
    if values.shape[1] != n_features or np.isnan(values).any():
        raise CorruptDataError(
            f"{path}: expected {n_features} numeric values per line, got a {values.shape} table"
            f"{' with empty fields' if np.isnan(values).any() else ''}."
        )
    return values


def read_labels(path: Path) -> np.ndarray:
    """Read one integer label per line."""
    values = pd.read_csv(path, header=None, engine="c").to_numpy()
    if values.shape[1] != 1 or not np.issubdtype(values.dtype, np.integer):
        raise CorruptDataError(f"{path}: expected one integer label per line, got {values.shape} {values.dtype}.")
    return values[:, 0].astype(np.int64)


def read_mat(path: Path, keys: tuple[str, ...] = ("X", "Y")) -> dict[str, np.ndarray]:
    """Read arrays from a MATLAB file (v5 via scipy; v7.3/HDF5 via h5py, transposed back to row-major)."""
    try:
        content = scipy.io.loadmat(path, variable_names=keys)
    except NotImplementedError:  # scipy raises this for v7.3 files
        import h5py

        with h5py.File(path, "r") as handle:
            content = {key: np.asarray(handle[key]).T for key in keys if key in handle}
    missing = [key for key in keys if key not in content]
    if missing:
        raise CorruptDataError(f"{path}: variable(s) {missing} not found in the .mat file.")
    return {key: np.asarray(content[key]) for key in keys}


def check_labels(path_text: str, y: np.ndarray, allowed: set[int]) -> np.ndarray:
    """Return ``y`` as int64 after checking every label is in ``allowed``."""
    y = np.asarray(y).ravel()
    if y.size and not np.array_equal(y, np.round(y)):
        raise CorruptDataError(f"{path_text}: labels are not integers.")
    y = y.astype(np.int64)
    unexpected = sorted(set(np.unique(y).tolist()) - allowed)
    if unexpected:
        raise CorruptDataError(
            f"{path_text}: unexpected label(s) {unexpected}; expected a subset of {sorted(allowed)}."
        )
    return y
