"""The paper's imbalanced-split protocol (§4.1.1) and the feature scaling used by every method.

1. Two classes are chosen; both are cut to the smaller class count, giving a balanced binary set.
2. 20 % of each class (``floor(0.2 · n)``) becomes the test set, the rest the candidate set.
3. The training set keeps all candidate majority rows and ``floor(r · n_majority)`` candidate minority rows.

The rounding is pinned down by Table 1: USPS's class of 929 images yields 744 = 929 − floor(0.2 · 929)
training majority rows and floor(0.01 · 744) = 7 minority rows. (sklearn's ``train_test_split`` would
round the test size up, giving 743.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np
from sklearn.preprocessing import MinMaxScaler

MAJORITY, MINORITY = 0, 1
TEST_FRACTION = Decimal("0.2")
#: The imbalance ratio of the paper's figures, interleaving table and MNIST images (r = 0.01).
PAPER_RATIO = 0.01


@dataclass(frozen=True)
class Split:
    """An imbalanced training set and a balanced test set; labels are 0 = majority, 1 = minority."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    majority: int
    minority: int
    ratio: float
    seed: int

    @property
    def n_majority(self) -> int:
        return int(np.sum(self.y_train == MAJORITY))

    @property
    def n_minority(self) -> int:
        return int(np.sum(self.y_train == MINORITY))


def _floor_fraction(fraction, n: int) -> int:
    # Decimal keeps e.g. floor(0.29 * 100) at 29 instead of 28.999... -> 28.
    return math.floor(Decimal(str(fraction)) * n)


def make_split(X: np.ndarray, y: np.ndarray, *, majority, minority, ratio: float, seed: int) -> Split:
    """Build the paper's imbalanced split of classes ``majority`` and ``minority`` (§4.1.1).

    Parameters
    ----------
    X, y : arrays of shape (n_samples, n_features) and (n_samples,)
        The full dataset with its original class labels.
    majority, minority : class labels in ``y``
        The class kept whole and the class cut down to ``ratio`` of it.
    ratio : float in (0, 1]
        Imbalance ratio r = n_minority / n_majority of the training set.
    seed : int
        Seeds every random choice; the same arguments always give the same split.

    Returns
    -------
    Split
        Training rows (shuffled) and test rows (shuffled) with labels 0 (majority) / 1 (minority).
        Training and test rows never overlap.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]} labels.")
    if majority == minority:
        raise ValueError(f"majority and minority must be different classes, both are {majority!r}.")
    if not 0 < ratio <= 1:
        raise ValueError(f"ratio must be in (0, 1], got {ratio}.")
    present = set(np.unique(y).tolist())
    for role, label in (("majority", majority), ("minority", minority)):
        if label not in present:
            raise ValueError(f"{role} class {label!r} does not occur in y; classes present: {sorted(present)}.")

    rng = np.random.default_rng(seed)
    maj_rows = rng.permutation(np.flatnonzero(y == majority))
    min_rows = rng.permutation(np.flatnonzero(y == minority))
    n_per_class = min(len(maj_rows), len(min_rows))
    maj_rows, min_rows = maj_rows[:n_per_class], min_rows[:n_per_class]

    n_test = _floor_fraction(TEST_FRACTION, n_per_class)
    test_maj, cand_maj = maj_rows[:n_test], maj_rows[n_test:]
    test_min, cand_min = min_rows[:n_test], min_rows[n_test:]

    n_minority = _floor_fraction(ratio, len(cand_maj))
    if n_minority < 1:
        raise ValueError(
            f"ratio={ratio} keeps floor({ratio} * {len(cand_maj)}) = 0 minority training rows; "
            f"use a ratio of at least {1 / len(cand_maj):.4g} for this class pair."
        )
    train_rows = np.concatenate([cand_maj, cand_min[:n_minority]])
    train_labels = np.r_[np.full(len(cand_maj), MAJORITY), np.full(n_minority, MINORITY)]
    test_rows = np.concatenate([test_maj, test_min])
    test_labels = np.r_[np.full(n_test, MAJORITY), np.full(n_test, MINORITY)]

    train_order = rng.permutation(len(train_rows))
    test_order = rng.permutation(len(test_rows))
    return Split(
        X_train=X[train_rows[train_order]],
        y_train=train_labels[train_order],
        X_test=X[test_rows[test_order]],
        y_test=test_labels[test_order],
        majority=majority,
        minority=minority,
        ratio=float(ratio),
        seed=int(seed),
    )


def minmax_scale(split: Split) -> Split:
    """Scale features to [0, 1] with a scaler fit on the training rows only (test rows may fall outside)."""
    scaler = MinMaxScaler().fit(split.X_train)
    return replace(
        split,
        X_train=scaler.transform(split.X_train),
        X_test=scaler.transform(split.X_test),
    )
