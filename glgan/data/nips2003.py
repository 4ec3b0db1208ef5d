"""The two NIPS 2003 feature-selection datasets (Madelon, Gisette): ASU ``.mat`` or UCI ``.data``/``.labels``.

Both are distributed the same way: the ASU/scikit-feature ``<name>.mat`` (keys ``X``, ``Y``) holds UCI
train followed by UCI valid; the UCI form is that pair of ``.data``/``.labels`` files. Labels are -1/+1.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from glgan.data.dataset import Dataset
from glgan.data.files import CorruptDataError, fetch_first_form
from glgan.data.formats import check_labels, read_dense_text, read_labels, read_mat


def load_asu_or_uci(name: str, data_dir: Path, *, mat_key: str, uci_data, uci_labels, n_features: int,
                    mat_source: str, uci_source: str, download: bool) -> Dataset:
    """Load ``mat_key`` if it is present (or downloadable), else the UCI ``uci_data``/``uci_labels`` pairs."""
    forms = ((mat_key,), tuple(uci_data) + tuple(uci_labels))
    form, hashes = fetch_first_form(name, forms, data_dir, download=download)
    if form == 0:
        content = read_mat(data_dir / mat_key)
        X = np.asarray(content["X"], dtype=np.float64)
        y = check_labels(mat_key, content["Y"], {-1, 1})
        source = mat_source
    else:
        X, y = read_uci_pairs(data_dir, uci_data, uci_labels, n_features)
        source = uci_source
    if X.shape[1] != n_features:
        raise CorruptDataError(f"{name}: expected {n_features} features, got {X.shape[1]}.")
    return Dataset(name, X, y, source, "complete", False, tuple(hashes.items()))


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
