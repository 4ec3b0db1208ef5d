"""Gisette (NIPS 2003 feature selection challenge): the 7000 labelled samples, 5000 features, classes -1/+1."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from glgan.data.dataset import Dataset
from glgan.data.files import CorruptDataError, fetch_first_form
from glgan.data.formats import check_labels, read_mat
from glgan.data.madelon import read_uci_pairs

N_FEATURES = 5000
UCI_DATA = ("gisette/GISETTE/gisette_train.data", "gisette/GISETTE/gisette_valid.data")
UCI_LABELS = ("gisette/GISETTE/gisette_train.labels", "gisette/gisette_valid.labels")
FORMS = (("gisette/gisette.mat",), UCI_DATA + UCI_LABELS)


def load(data_dir: Path, *, allow_partial: bool = False, download: bool = True) -> Dataset:
    """Load Gisette from ASU ``gisette.mat`` or UCI train + valid (6000 + 1000 rows, 3500 per class).

    The UCI test split has no public labels and is not used. ``allow_partial`` has no effect.
    """
    form, hashes = fetch_first_form("gisette", FORMS, data_dir, download=download)
    if form == 0:
        content = read_mat(data_dir / FORMS[0][0])
        X = np.asarray(content["X"], dtype=np.float64)
        y = check_labels(FORMS[0][0], content["Y"], {-1, 1})
        source = "gisette.mat (ASU/scikit-feature)"
    else:
        X, y = read_uci_pairs(data_dir, UCI_DATA, UCI_LABELS, N_FEATURES)
        source = "UCI GISETTE gisette_train + gisette_valid (.data/.labels)"
    if X.shape[1] != N_FEATURES:
        raise CorruptDataError(f"gisette: expected {N_FEATURES} features, got {X.shape[1]}.")
    return Dataset("gisette", X, y, source, "complete", False, tuple(hashes.items()))
