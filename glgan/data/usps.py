"""USPS handwritten digits (Hull 1994): 9298 images of 16x16 pixels, as in the ASU feature-selection repository."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np

from glgan.data.dataset import Dataset
from glgan.data.files import CorruptDataError, fetch_first_form
from glgan.data.formats import check_labels, read_mat

N_FEATURES = 256
FORMS = (("usps/USPS.mat",), ("usps/usps.h5",))


def load(data_dir: Path, *, allow_partial: bool = False, download: bool = True) -> Dataset:
    """Load USPS with labels as digits 0..9.

    Prefers ASU ``USPS.mat``; otherwise ``usps.h5`` (the ESL/Kaggle form, train and test concatenated,
    same 9298 images). LIBSVM's ``usps.t.bz2`` is never combined with it: its pixels are preprocessed
    differently. ``allow_partial`` has no effect (no partial form exists).
    """
    form, hashes = fetch_first_form("usps", FORMS, data_dir, download=download)
    if form == 0:
        X, y, source = _read_asu(data_dir / FORMS[0][0])
    else:
        X, y, source = _read_h5(data_dir / FORMS[1][0])
    if X.shape[1] != N_FEATURES:
        raise CorruptDataError(f"usps: expected {N_FEATURES} pixel columns, got {X.shape[1]}.")
    return Dataset("usps", X, y, source, "complete", False, tuple(hashes.items()))


def _read_asu(path: Path):
    content = read_mat(path)
    # scikit-feature's USPS.mat stores class ids 1..10 for the digits 0..9 (id = digit + 1, the same
    # coding as LIBSVM's usps files); map back to digits so every USPS form shares one label space.
    ids = check_labels(str(path), content["Y"], set(range(1, 11)))
    X = np.asarray(content["X"], dtype=np.float64)
    return X, ids - 1, "USPS.mat (ASU/scikit-feature; labels 1..10 mapped to digits 0..9)"


def _read_h5(path: Path):
    with h5py.File(path, "r") as handle:
        parts = [(handle[f"{split}/data"][()], handle[f"{split}/target"][()]) for split in ("train", "test")]
    X = np.concatenate([np.asarray(data, dtype=np.float64) for data, _ in parts])
    y = np.concatenate([check_labels(str(path), target, set(range(10))) for _, target in parts])
    return X, y, "usps.h5 (ESL/Kaggle variant, train 7291 + test 2007, pixels in [0, 1]; not the ASU USPS.mat)"
