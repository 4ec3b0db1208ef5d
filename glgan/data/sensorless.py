"""Sensorless drive diagnosis (UCI 325): 58509 samples, 48 features, 11 classes labelled 1..11."""

from __future__ import annotations

from pathlib import Path

from glgan.data.dataset import Dataset
from glgan.data.files import fetch
from glgan.data.formats import check_labels, read_dense_text

N_FEATURES = 48
FILE = "sensorless/Sensorless_drive_diagnosis.txt"
FORMS = ((FILE,),)


def load(data_dir: Path, *, allow_partial: bool = False, download: bool = True) -> Dataset:
    """Load the UCI text file (48 features then the label per line); ``allow_partial`` has no effect."""
    hashes = fetch([FILE], data_dir, download=download, dataset="sensorless")
    # r"\s+" keeps pandas' C parser and tolerates a trailing space or doubled spaces.
    table = read_dense_text(data_dir / FILE, N_FEATURES + 1, sep=r"\s+")
    y = check_labels(FILE, table[:, -1], set(range(1, 12)))
    source = "UCI Sensorless_drive_diagnosis.txt"
    return Dataset("sensorless", table[:, :-1].copy(), y, source, "complete", False, tuple(hashes.items()))
