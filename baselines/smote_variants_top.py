"""Three of the best-ranked over-samplers of Kovács' smote-variants study, as imbalanced-learn samplers.

G. Kovács, "An empirical comparison and evaluation of minority oversampling techniques on a large number of
imbalanced datasets", Applied Soft Computing 83 (2019) 105662, ranks polynom_fit_SMOTE, ProWSyn and
SMOTE-IPF at the top. They run through the one-vs-rest driver of :mod:`baselines.smote_variants` (clone-safe,
exact counts, library logging silenced) with the library's defaults (smote-variants 1.0.1), except:

* polynom-fit-SMOTE (star) puts ``k = rint(n / n_min)`` points on each minority row's segment to the class
  mean, which over- or undershoots ``n``; the wrapper asks for ``ceil(n / n_min)`` per row and keeps a
  seeded random subset of exactly ``n`` (the library's own count is only balanced up to rounding).
* SMOTE-IPF filters the SMOTE-ed set with an iterative-partitioning filter that removes rows of **every**
  class (original and synthetic), so its output is not balanced exactly and not a superset of the input;
  ``removed_indices_`` names the original rows it dropped. It grows a class only while it is smaller than
  the rest of the data (its inner SMOTE always grows the smaller side).
"""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np
import smote_variants as sv
from smote_variants.oversampling._polynom_fit_smote import polynom_fit_SMOTE  # what polynom_fit_SMOTE_star runs
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.utils._param_validation import Interval, StrOptions

from baselines.smote_variants import _REST, _TARGET, _OneVsRest, _quiet_library, _SmoteVariantsOverSampler
from glgan.sampler_contract import append_synthetic

__all__ = ["PolynomFitSMOTEStar", "ProWSyn", "SMOTEIPF"]


class _PinnedStar(_OneVsRest, polynom_fit_SMOTE):
    def det_n_to_sample(self, strategy, n_maj=None, n_min=None):
        n_min = self.class_stats[self.min_label]
        return n_min * math.ceil(self.n_to_generate / n_min)  # star: ceil(n / n_min) points per row


class _PinnedProWSyn(_OneVsRest, sv.ProWSyn):
    pass


class _PinnedSMOTEIPF(_OneVsRest, sv.SMOTE_IPF):
    pass


def _surviving_rows(X: np.ndarray, X_out: np.ndarray) -> np.ndarray:
    """Which rows of ``X`` the library kept: its output is the kept rows in input order, then new rows."""
    n = X.shape[0]
    if X_out.shape[0] >= n and np.array_equal(X_out[:n], X):
        return np.ones(n, dtype=bool)
    kept, j = np.zeros(n, dtype=bool), 0
    for i in range(n):
        if j < X_out.shape[0] and np.array_equal(X[i], X_out[j]):
            kept[i], j = True, j + 1
    return kept


def _check_float32_range(X: np.ndarray) -> None:
    """SMOTE-IPF's filter fits scikit-learn decision trees, which cast X to float32: refuse what overflows it."""
    limit = np.finfo(np.float32).max
    scale = float(np.max(np.abs(X))) if X.size else 0.0
    if scale > limit:
        raise ValueError(
            f"SMOTEIPF's filter fits decision trees on float32 features, and the features' magnitude "
            f"(max |x| = {scale:.3g}) is beyond float32's range ({limit:.3g}). Scale the features first "
            "(e.g. sklearn.preprocessing.StandardScaler, or min-max scaling to [0, 1])."
        )


class _TopOverSampler(_SmoteVariantsOverSampler):
    """One-vs-rest driver for library samplers whose counts are inexact or that filter rows."""

    def _grow_class(self, X64, y, class_label, n_samples, seed, rng):
        binary = np.where(y == class_label, _TARGET, _REST)
        sampler = self._library_sampler(seed, binary, n_samples).pin(n_samples)
        with _quiet_library():
            X_out, _ = sampler.sample(X64, binary)
        kept = _surviving_rows(X64, X_out)
        synthetic = X_out[int(kept.sum()):]
        if synthetic.shape[0] == 0:
            reason = sampler.copies_reason or "the library generated no rows"
            warnings.warn(f"{type(self).__name__} generated no rows for class {class_label} ({reason}); "
                          f"it stays at {np.count_nonzero(y == class_label)} rows.", UserWarning,
                          stacklevel=3)  # the caller of _fit_resample
        elif synthetic.shape[0] > n_samples:
            synthetic = synthetic[np.sort(rng.choice(synthetic.shape[0], n_samples, replace=False))]
        return kept, synthetic

    def _assemble(self, X, y, keep, X_new, y_new):
        # SMOTE-IPF may drop rows although it made none, so the kept rows are returned even then.
        X_new = [part for part in X_new if part.shape[0]]
        if not X_new:
            return X[keep], y[keep]
        y_new = [part for part in y_new if part.shape[0]]
        return append_synthetic(X[keep], y[keep], np.concatenate(X_new), np.concatenate(y_new))


class PolynomFitSMOTEStar(_TopOverSampler):
    """polynom-fit-SMOTE with the star topology (Gazzah & Amara, DAS 2008), from smote-variants.

    Synthetic rows lie on the segments from each minority row to the minority mean, evenly spaced
    (``k`` points per row at ``1/(k+1), ..., k/(k+1)`` of the way); the wrapper keeps a seeded random
    subset of exactly ``sampling_strategy_[class]`` of them. Deterministic apart from that subset.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn's over-samplers.
    random_state : int, RandomState instance or None, default=None
        Seeds the subset of the star points that is kept.

    Attributes
    ----------
    sampling_strategy_ : dict
    removed_indices_ : ndarray of shape (0,)
        Always empty.
    """

    def __init__(self, *, sampling_strategy="auto", random_state=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state

    def _library_sampler(self, seed, y=None, n_samples=None):
        return _PinnedStar(topology="star", random_state=seed)


class ProWSyn(_TopOverSampler):
    """Proximity Weighted Synthetic over-sampling (Barua et al., PAKDD 2013), from smote-variants.

    Minority rows are split into ``L`` proximity levels by their distance to the majority class; a level's
    weight is ``exp(-theta (level - 1))`` and synthetic rows are random points between rows of one level.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
    random_state : int, RandomState instance or None, default=None
    n_neighbors : int, default=5
        Neighbours that define the proximity levels.
    L : int, default=5
        Number of proximity levels.
    theta : float, default=1.0
        Smoothing factor of the level weights.

    Attributes
    ----------
    sampling_strategy_ : dict
    removed_indices_ : ndarray of shape (0,)
        Always empty.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "L": [Interval(numbers.Integral, 1, None, closed="left")],
        "theta": [Interval(numbers.Real, 0, None, closed="left")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=5, L=5, theta=1.0):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.L = L
        self.theta = theta

    def _library_sampler(self, seed, y=None, n_samples=None):
        return _PinnedProWSyn(n_neighbors=self.n_neighbors, L=self.L, theta=self.theta, random_state=seed)


class SMOTEIPF(_TopOverSampler):
    """SMOTE followed by the Iterative-Partitioning Filter (Sáez et al., Inf. Sci. 2015), from smote-variants.

    The SMOTE-ed set is split into ``n_folds`` parts; a decision tree fit on each part votes on every row,
    and rows misclassified by the majority of trees are removed, until ``k`` rounds in a row remove fewer
    than ``p`` of the rows. Rows of every class may be removed: the output is not exactly balanced.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
    random_state : int, RandomState instance or None, default=None
    n_neighbors : int, default=5
        SMOTE's neighbours.
    n_folds : int, default=9
        Partitions of the filter.
    k : int, default=3
        Rounds with few removals that stop the filter.
    p : float, default=0.01
        "Few removals": fewer than ``p`` times the rows.
    voting : {"majority", "consensus"}, default="majority"

    Attributes
    ----------
    sampling_strategy_ : dict
    removed_indices_ : ndarray
        Sorted indices, in the input, of the original rows the filter removed.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_folds": [Interval(numbers.Integral, 2, None, closed="left")],
        "k": [Interval(numbers.Integral, 1, None, closed="left")],
        "p": [Interval(numbers.Real, 0, 1, closed="both")],
        "voting": [StrOptions({"majority", "consensus"})],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=5, n_folds=9, k=3, p=0.01,
                 voting="majority"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_folds = n_folds
        self.k = k
        self.p = p
        self.voting = voting

    def _fit_resample(self, X, y):
        _check_float32_range(X)
        return super()._fit_resample(X, y)

    def _library_sampler(self, seed, y=None, n_samples=None):
        n_target, n_rest = int(np.sum(y == _TARGET)), int(np.sum(y == _REST))
        if n_target >= n_rest:
            raise ValueError(f"SMOTEIPF grows a class only while it is smaller than the rest of the data "
                             f"({n_target} rows against {n_rest}); its inner SMOTE always grows the smaller side.")
        # The inner SMOTE makes int((n_rest - n_target) * proportion) rows: exactly n_samples with this.
        proportion = (n_samples + 0.5) / (n_rest - n_target)
        return _PinnedSMOTEIPF(proportion=proportion, n_neighbors=self.n_neighbors, n_folds=self.n_folds, k=self.k,
                               p=self.p, voting=self.voting, random_state=seed)
