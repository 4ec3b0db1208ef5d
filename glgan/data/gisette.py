"""Gisette (NIPS 2003 feature selection challenge): the 7000 labelled samples, 5000 features, classes -1/+1."""

from __future__ import annotations

from pathlib import Path

from glgan.data.dataset import Dataset
from glgan.data.nips2003 import load_asu_or_uci

N_FEATURES = 5000
UCI_DATA = ("gisette/GISETTE/gisette_train.data", "gisette/GISETTE/gisette_valid.data")
UCI_LABELS = ("gisette/GISETTE/gisette_train.labels", "gisette/gisette_valid.labels")
FORMS = (("gisette/gisette.mat",), UCI_DATA + UCI_LABELS)


def load(data_dir: Path, *, allow_partial: bool = False, download: bool = True) -> Dataset:
    """Load Gisette from ASU ``gisette.mat`` or UCI train + valid (6000 + 1000 rows, 3500 per class).

    The UCI test split has no public labels and is not used. ``allow_partial`` has no effect.
    """
    return load_asu_or_uci(
        "gisette", data_dir, mat_key=FORMS[0][0], uci_data=UCI_DATA, uci_labels=UCI_LABELS,
        n_features=N_FEATURES, mat_source="gisette.mat (ASU/scikit-feature)",
        uci_source="UCI GISETTE gisette_train + gisette_valid (.data/.labels)", download=download,
    )
