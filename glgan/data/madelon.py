"""Madelon (NIPS 2003 feature selection challenge): the 2600 labelled samples, 500 features, classes -1/+1."""

from __future__ import annotations

from pathlib import Path

from glgan.data.dataset import Dataset
from glgan.data.nips2003 import load_asu_or_uci

N_FEATURES = 500
UCI_DATA = ("madelon/MADELON/madelon_train.data", "madelon/MADELON/madelon_valid.data")
UCI_LABELS = ("madelon/MADELON/madelon_train.labels", "madelon/madelon_valid.labels")
FORMS = (("madelon/madelon.mat",), UCI_DATA + UCI_LABELS)


def load(data_dir: Path, *, allow_partial: bool = False, download: bool = True) -> Dataset:
    """Load Madelon from ASU ``madelon.mat`` or, equivalently, UCI train + valid (same rows, same order).

    ``allow_partial`` has no effect (no partial form exists).
    """
    return load_asu_or_uci(
        "madelon", data_dir, mat_key=FORMS[0][0], uci_data=UCI_DATA, uci_labels=UCI_LABELS,
        n_features=N_FEATURES, mat_source="madelon.mat (ASU/scikit-feature = UCI train + valid)",
        uci_source="UCI MADELON madelon_train + madelon_valid (.data/.labels)", download=download,
    )
