"""Madelon (NIPS 2003 feature selection challenge): the 2600 labelled samples, 500 features, classes -1/+1."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from glgan.data.dataset import Dataset
from glgan.data.files import CorruptDataError, fetch_first_form
from glgan.data.formats import check_labels, read_dense_text, read_labels, read_mat

N_FEATURES = 500
UCI_DATA = ("madelon/MADELON/madelon_train.data", "madelon/MADELON/madelon_valid.data")
UCI_LABELS = ("madelon/MADELON/madelon_train.labels", "madelon/madelon_valid.labels")
FORMS = (("madelon/madelon.mat",), UCI_DATA + UCI_LABELS)


def load(data_dir: Path, *, allow_partial: bool = False, download: bool = True) -> Dataset:
    """Load Madelon from ASU ``madelon.mat`` or, equivalently, UCI train + valid (same rows, same order).

    ``allow_partial`` has no effect (no partial form exists).
    """
    form, hashes = fetch_first_form("madelon", FORMS, data_dir, download=download)
    if form == 0:
        content = read_mat(data_dir / FORMS[0][0])
        X = np.asarray(content["X"], dtype=np.float64)
        y = check_labels(FORMS[0][0], content["Y"], {-1, 1})
        source = "madelon.mat (ASU/scikit-feature = UCI train + valid)"
    else:
        X, y = read_uci_pairs(data_dir, UCI_DATA, UCI_LABELS, N_FEATURES)
        source = "UCI MADELON madelon_train + madelon_valid (.data/.labels)"
    if X.shape[1] != N_FEATURES:
        raise CorruptDataError(f"madelon: expected {N_FEATURES} features, got {X.shape[1]}.")
    return Dataset("madelon", X, y, source, "complete", False, tuple(hashes.items()))


def read_uci_pairs(data_dir: Path, data_keys, label_keys, n_features: int) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate NIPS 2003 ``.data``/``.labels`` pairs (labels ±1), checking each pair's row count."""
    blocks, labels = [], []
    for data_key, label_key in zip(data_keys, label_keys):
        block = read_dense_text(data_dir / data_key, n_features)
        label = check_labels(label_key, read_labels(data_dir / label_key), {-1, 1})
        if block.shape[0] != label.shape[0]:
            raise CorruptDataError(
                f"{data_key} has {block.shape[0]} rows but {label_key} has {label.shape[0]} labels."
            )
        blocks.append(block)
        labels.append(label)
    return np.concatenate(blocks), np.concatenate(labels)
