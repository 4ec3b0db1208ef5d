"""The KEEL benchmark's protocol: natural imbalance, repeated stratified k-fold, min-max scaling per fold.

Repeat ``r`` shuffles with ``StratifiedKFold(n_folds, shuffle=True, random_state=seed + r)``, so every row
is a test row exactly once per repeat and a fold never depends on the other repeats. The scaler of a fold
is fit on its training rows only; test rows may fall outside [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import MinMaxScaler

MAX_FOLDS = 100  # fold_seed keeps (repeat, fold) pairs apart only below this many folds


@dataclass(frozen=True)
class Fold:
    """One scaled cross-validation fold; labels as in the dataset (0 = majority, 1 = minority)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    train_index: np.ndarray
    test_index: np.ndarray
    repeat: int
    fold: int


def check_cv(n_folds: int, repeats: int, repeat: int, fold: int) -> None:
    """Raise ``ValueError`` unless ``0 <= fold < n_folds <= MAX_FOLDS`` and ``0 <= repeat < repeats``."""
    if not 2 <= n_folds <= MAX_FOLDS:
        raise ValueError(f"cv.folds must be in [2, {MAX_FOLDS}], got {n_folds}.")
    if repeats < 1:
        raise ValueError(f"cv.repeats must be at least 1, got {repeats}.")
    if not 0 <= fold < n_folds:
        raise ValueError(f"fold must be in [0, {n_folds - 1}] (cv.folds={n_folds}), got {fold}.")
    if not 0 <= repeat < repeats:
        raise ValueError(f"repeat must be in [0, {repeats - 1}] (cv.repeats={repeats}), got {repeat}.")


def fold_indices(y: np.ndarray, *, n_folds: int, repeat: int, fold: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Training and test row indices of fold ``fold`` of repeat ``repeat`` (stratified, shuffled)."""
    y = np.asarray(y)
    smallest = int(np.unique(y, return_counts=True)[1].min())
    if smallest < n_folds:
        raise ValueError(f"The smallest class has {smallest} rows, fewer than cv.folds={n_folds}.")
    splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed + repeat)
    for k, (train, test) in enumerate(splitter.split(np.zeros((y.size, 1)), y)):
        if k == fold:
            return train, test
    raise ValueError(f"fold must be in [0, {n_folds - 1}], got {fold}.")


def make_fold(X: np.ndarray, y: np.ndarray, *, n_folds: int, repeat: int, fold: int, seed: int,
              scale: str = "minmax") -> Fold:
    """The (scaled) training and test rows of one fold.

    Parameters
    ----------
    X, y : arrays of shape (n_samples, n_features) and (n_samples,)
    n_folds : int
        Folds per repeat.
    repeat, fold : int
        Which repeat (reshuffle) and which of its folds is the test set.
    seed : int
        Base seed of the shuffles (repeat ``r`` uses ``seed + r``).
    scale : {"minmax", "none"}
        ``minmax``: a :class:`~sklearn.preprocessing.MinMaxScaler` fit on the training rows only.
    """
    if scale not in ("minmax", "none"):
        raise ValueError(f"scale must be 'minmax' or 'none', got {scale!r}.")
    train, test = fold_indices(y, n_folds=n_folds, repeat=repeat, fold=fold, seed=seed)
    X_train, X_test = np.asarray(X)[train], np.asarray(X)[test]
    if scale == "minmax":
        scaler = MinMaxScaler().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    return Fold(X_train, np.asarray(y)[train], X_test, np.asarray(y)[test], train, test, int(repeat), int(fold))


def fold_seed(seed: int, repeat: int, fold: int) -> int:
    """The sampler's and classifiers' ``random_state`` in fold ``fold`` of repeat ``repeat``.

    Distinct for every (repeat, fold) with fewer than :data:`MAX_FOLDS` folds and deterministic.
    """
    return int(seed) * 1_000_000 + int(repeat) * MAX_FOLDS + int(fold)
