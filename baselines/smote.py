"""SMOTE (Chawla et al., JAIR 2002) as in imbalanced-learn, with the neighbour count clipped for tiny classes.

The paper's r = 0.01 splits keep 7..42 minority rows and a partial Gas-drift split can keep only 4; the
default ``k_neighbors=5`` needs 6. Instead of failing, a class with ``n_c <= k_neighbors`` rows uses its
``n_c - 1`` other rows as neighbours. Whenever no class needs that, the output is exactly imbalanced-learn's.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from imblearn.over_sampling import SMOTE as _ImblearnSMOTE
from sklearn.neighbors import NearestNeighbors

from glgan.sampler_contract import check_sampler_input

__all__ = ["SMOTE"]


class _ClippedNearestNeighbors(NearestNeighbors):
    """``NearestNeighbors`` that never asks for more neighbours than there are fitted rows."""

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        n_neighbors = self.n_neighbors if n_neighbors is None else n_neighbors
        # A query on the fitted rows themselves (X=None) excludes each row from its own neighbours.
        available = self.n_samples_fit_ if X is not None else self.n_samples_fit_ - 1
        return super().kneighbors(X, min(n_neighbors, available), return_distance)


class SMOTE(_ImblearnSMOTE):
    """Imbalanced-learn's SMOTE whose ``k_neighbors`` shrinks to ``n_c - 1`` for classes that are too small.

    Same parameters, same random stream and same output as :class:`imblearn.over_sampling.SMOTE`
    whenever every class to grow has more than ``k_neighbors`` rows. A class to grow with
    ``2 <= n_c <= k_neighbors`` rows interpolates between each row and all ``n_c - 1`` others; a
    :class:`UserWarning` says so and ``clipped_k_neighbors_`` records it. A class to grow with a single
    row cannot be interpolated and raises a :class:`ValueError`. Clipping applies only to an integer
    ``k_neighbors``; a neighbours estimator passed by the caller is used as given.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to grow and by how much, as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Seed of the interpolation steps and of the choice of seed rows and neighbours.
    k_neighbors : int or object, default=5
        Number of nearest same-class neighbours to interpolate towards, or a fitted-on-demand
        ``KNeighborsMixin`` estimator.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{class_label: n_samples_to_generate}``.
    nn_k_ : estimator object
        The neighbours estimator actually used.
    clipped_k_neighbors_ : dict
        ``{class_label: k}`` for every class whose neighbour count was clipped (empty if none).
    n_features_in_ : int
        Number of features seen during ``fit_resample``.

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE: synthetic minority
       over-sampling technique", Journal of Artificial Intelligence Research 16 (2002) 321-357.
    """

    def _check_X_y(self, X, y):
        # What imbalanced-learn's SMOTE accepts (dtype="numeric": integer X stays integer, as there), with
        # the project's checks and error messages.
        return check_sampler_input(self, X, y, accept_sparse=True, dtype="numeric")

    def _validate_estimator(self):
        if isinstance(self.k_neighbors, numbers.Integral):
            self.nn_k_ = _ClippedNearestNeighbors(n_neighbors=self.k_neighbors + 1)
        else:
            super()._validate_estimator()

    def _fit_resample(self, X, y):
        self.clipped_k_neighbors_ = {}
        for class_label, n_samples in self.sampling_strategy_.items():
            n_class = int(np.count_nonzero(y == class_label))
            if n_samples == 0:
                continue
            if n_class < 2:
                raise ValueError(
                    f"SMOTE cannot interpolate class {class_label}: it has a single row. Grow it with "
                    "imblearn.over_sampling.RandomOverSampler, or leave it out of sampling_strategy."
                )
            if isinstance(self.k_neighbors, numbers.Integral) and n_class <= self.k_neighbors:
                self.clipped_k_neighbors_[class_label] = n_class - 1
        if self.clipped_k_neighbors_:
            warnings.warn(
                f"SMOTE: k_neighbors={self.k_neighbors} exceeds the rows available in some classes; "
                f"using k = n_class - 1 per class: {self.clipped_k_neighbors_}.",
                UserWarning,
                stacklevel=2,
            )
        return super()._fit_resample(X, y)
