"""Gas sensor array drift (UCI 224, Vergara et al. 2012): 13910 samples in 10 batches, 128 features, gases 1..6."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from sklearn.datasets import load_svmlight_file

from glgan.data.dataset import Dataset
from glgan.data.files import CorruptDataError, MissingDataError, fetch, is_present

N_FEATURES = 128
BATCHES = tuple(range(1, 11))
# Published row count of each batch file (UCI; see shared/data/gas_drift/PROVENANCE.md), used to say how
# much of the dataset a partial load covers.
BATCH_ROWS = {1: 445, 2: 1244, 3: 1586, 4: 161, 5: 197, 6: 2300, 7: 3613, 8: 294, 9: 470, 10: 3600}


def batch_key(batch: int) -> str:
    return f"gas_drift/Dataset/batch{batch}.dat"


FORMS = (tuple(batch_key(b) for b in BATCHES),)


def load(data_dir: Path, *, allow_partial: bool = False, download: bool = True) -> Dataset:
    """Load all ten batch files in order, or with ``allow_partial=True`` the batches that are present.

    A partial load warns and records the batches used in ``variant`` and ``is_partial``.
    """
    try:
        hashes = fetch(FORMS[0], data_dir, download=download, dataset="gas_drift")
        present = list(BATCHES)
    except MissingDataError as error:
        present = [b for b in BATCHES if is_present(batch_key(b), data_dir)]
        missing = [batch_key(b) for b in BATCHES if b not in present]
        if not allow_partial or not present:
            hint = (f"Only {len(present)} of the 10 batch files are present. To run on the batches present "
                    f"pass allow_partial=True (Hydra: dataset.allow_partial=true); results then do not cover the "
                    f"full dataset.")
            summary = (f"gas_drift: only {len(present)} of the 10 batch files are present in {data_dir / 'gas_drift'}"
                       f" (missing {', '.join(missing)}); add dataset.allow_partial=true to run on the batches "
                       f"present (results then do not cover the full dataset)") if present else error.summary
            raise MissingDataError(f"{error}\n{hint}", summary) from None
        hashes = fetch([batch_key(b) for b in present], data_dir, download=False, dataset="gas_drift")
        failed = "" if not download else " (could not be downloaded)"
        warnings.warn(
            f"gas_drift: loading only batches {_ranges(present)}; missing {', '.join(missing)}{failed}.",
            stacklevel=3,
        )

    blocks = [_read_batch(data_dir / batch_key(b)) for b in present]
    X = np.concatenate([X for X, _ in blocks])
    y = np.concatenate([y for _, y in blocks])
    source = f"UCI 224 Dataset/batch{{{_ranges(present)}}}.dat (label 1:v ... 128:v text)"
    if present == list(BATCHES):
        variant, is_partial = "complete", False
    else:
        total = sum(BATCH_ROWS.values())
        variant = f"partial: batches {_ranges(present)} of 10 ({len(y)} of {total} rows)"
        is_partial = True
    return Dataset("gas_drift", X, y, source, variant, is_partial, tuple(hashes.items()))


def _read_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    try:
        X, y = load_svmlight_file(str(path), n_features=N_FEATURES, zero_based=False)
    except ValueError as error:
        raise CorruptDataError(f"{path}: cannot parse as 'label 1:v ... {N_FEATURES}:v' lines: {error}") from error
    if not np.array_equal(y, np.round(y)) or not set(np.unique(y).tolist()) <= set(range(1, 7)):
        raise CorruptDataError(f"{path}: labels must be the gas ids 1..6, got {sorted(set(y.tolist()))[:10]}.")
    return X.toarray(), y.astype(np.int64)


def _ranges(batches: list[int]) -> str:
    """``[1, 2, 3, 4, 5, 6, 8, 9]`` -> ``"1-6,8,9"``."""
    parts, start = [], None
    for i, b in enumerate(batches):
        start = b if start is None else start
        if i + 1 == len(batches) or batches[i + 1] != b + 1:
            parts.append(str(b) if b == start else f"{start}-{b}" if b > start + 1 else f"{start},{b}")
            start = None
    return ",".join(parts)
