"""SWIM, Mahalanobis version (Sharma, Bellinger, Krawczyk, Zaiane, Japkowicz, ICDM 2018).

Synthetic rows keep their seed's Mahalanobis distance to the majority mean. This follows the corrected
reference code (cbellinger27/SWIM ``SWIM_Maha/Swim_Maha.py`` after commit e7f4101, which centres the
minority on the majority mean and adds it back) with three documented changes: numpy's RNG from
``random_state``, a single vectorised generation step, and a principled treatment of a singular majority
covariance (pseudo-whitening on its range, seed's null-space component kept) instead of returning the
input unchanged.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import Substitution
from imblearn.utils._docstring import _random_state_docstring
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval

from glgan.sampler_contract import DenseOnlyMixin, append_synthetic

__all__ = ["SWIM"]


@Substitution(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    random_state=_random_state_docstring,
)
class SWIM(DenseOnlyMixin, BaseOverSampler):
    """Sampling WIth the Majority class, Mahalanobis-distance version.

    For each class to grow, every other row is the "majority". In the majority's whitened space (centred
    on its mean, symmetric inverse square root of its covariance) each synthetic row starts at a minority
    seed drawn uniformly with replacement, is jittered per whitened dimension by a uniform draw in
    ``+-sd * std_d`` (``std_d``: the whitened minority's standard deviation in that dimension), and is
    rescaled to the seed's norm, so its Mahalanobis distance to the majority mean equals the seed's.

    When the majority covariance is singular (more features than majority rows, duplicated or constant
    columns) whitening, jitter and rescaling act on the covariance's range only; the seed's component in
    the null space is copied unchanged. The preserved quantity is then the Mahalanobis distance under the
    pseudo-inverse covariance, and every synthetic row has the same null-space offset from the majority
    mean as its seed.

    Parameters
    ----------
    {sampling_strategy}

    {random_state}

    sd : float, default=0.25
        Half-width of the uniform jitter in units of the whitened minority standard deviation
        (reference constructor default).

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{{class_label: n_samples_to_generate}}``.
    seed_indices_ : ndarray of shape (n_synthetic,)
        Row index, in the input ``X``, of the seed of each synthetic row (in output order).
    covariance_rank_ : dict
        ``{{class_label: rank}}`` of the covariance of the rows outside that class; below
        ``n_features_in_`` the singular treatment was used.
    n_features_in_ : int
        Number of features seen during ``fit_resample``.

    Notes
    -----
    Input must be dense. Integer features are converted to float64; float32 stays float32 (the geometry
    is computed in float64). A class to grow needs at least two rows, and at least two rows must lie
    outside it. Features of extreme magnitude (beyond about 1e154, or below about 1e-160) overflow the
    covariance in float64; that raises a ``ValueError`` asking to standardise them instead of returning
    NaN rows.

    References
    ----------
    .. [1] S. Sharma, C. Bellinger, B. Krawczyk, O. Zaiane, N. Japkowicz, "Synthetic oversampling with
       the majority class: a new perspective on handling extreme imbalance", ICDM 2018, 447-456.
    .. [2] C. Bellinger, S. Sharma, N. Japkowicz, O. Zaiane, "Framework for extreme imbalance
       classification: SWIM - sampling with the majority class", Knowledge and Information Systems
       62(3) (2020) 841-866.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "sd": [Interval(numbers.Real, 0, None, closed="neither")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, sd=0.25):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.sd = sd

    def _fit_resample(self, X, y):
        rng = check_random_state(self.random_state)
        X64 = np.asarray(X, dtype=np.float64)
        X_new, y_new, seeds = [], [], []
        self.covariance_rank_ = {}
        for class_label, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            in_class = y == class_label
            rows = np.flatnonzero(in_class)
            if rows.size < 2 or rows.size > y.size - 2:
                raise ValueError(
                    f"SWIM needs at least 2 rows in class {class_label} and 2 rows outside it; got "
                    f"{rows.size} and {y.size - rows.size}. Grow this class with RandomOverSampler instead."
                )
            picked, synthetic, rank = _checked_swim_one_class(X64[rows], X64[~in_class], n_samples, self.sd, rng)
            self.covariance_rank_[class_label] = rank
            if rank == 0:
                warnings.warn(
                    f"SWIM: the rows outside class {class_label} are all identical, so there is no "
                    "covariance to sample in; its synthetic rows are copies of minority rows.",
                    UserWarning,
                    stacklevel=2,
                )
            seeds.append(rows[picked])
            X_new.append(synthetic.astype(X.dtype, copy=False))
            y_new.append(np.full(n_samples, class_label, dtype=y.dtype))
        self.seed_indices_ = np.concatenate(seeds) if seeds else np.empty(0, dtype=np.intp)
        if not X_new:
            return X, y
        return append_synthetic(X, y, np.concatenate(X_new), np.concatenate(y_new))


def _checked_swim_one_class(X_minority, X_majority, n_samples, sd, rng):
    """:func:`_swim_one_class`, with a clear error instead of NaN rows when float64 cannot hold the geometry.

    Features of extreme magnitude (e.g. 1e200 or 1e-300) overflow or underflow the covariance
    eigenvalues (squared singular values); the whitened jitter is then NaN or its range infinite.
    """
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        try:
            result = _swim_one_class(X_minority, X_majority, n_samples, sd, rng)
        except OverflowError:  # numpy's uniform() refuses an infinite range
            result = None
    if result is None or not np.isfinite(result[1]).all():
        scale = float(np.max(np.abs(np.vstack([X_minority, X_majority]))))
        raise ValueError(
            f"SWIM produced non-finite rows: the features' magnitude (max |x| = {scale:.3g}) is beyond "
            "what its covariance computation can represent in float64. Standardise the features first "
            "(e.g. sklearn.preprocessing.StandardScaler, or min-max scaling to [0, 1])."
        )
    return result


def _majority_geometry(X_majority):
    """Mean, orthonormal eigenvectors (rows) and eigenvalues of the majority covariance, on its range.

    The eigenpairs come from the SVD of the centred majority (right singular vectors, ``s**2 / (n-1)``),
    which equals ``np.linalg.eigh(np.cov(X_majority.T))`` without forming the d x d covariance and keeps
    small eigenvalues accurate. Directions with singular value at or below ``s_max * max(n, d) * eps``
    (``np.linalg.matrix_rank``'s tolerance, the test the reference code uses) form the null space.
    """
    mean = X_majority.mean(axis=0)
    _, s, vt = np.linalg.svd(X_majority - mean, full_matrices=False)
    tolerance = (s[0] if s.size else 0.0) * max(X_majority.shape) * np.finfo(np.float64).eps
    keep = s > tolerance
    return mean, vt[keep], s[keep] ** 2 / (X_majority.shape[0] - 1)


def _swim_one_class(X_minority, X_majority, n_samples, sd, rng):
    """Return seed positions (into ``X_minority``), synthetic rows and the covariance rank."""
    mean, basis, eigenvalues = _majority_geometry(X_majority)
    scale = np.sqrt(eigenvalues)
    centred = X_minority - mean
    coords = centred @ basis.T                      # coordinates on the covariance's range
    null_part = centred - coords @ basis            # zero when the covariance has full rank
    # Symmetric whitening C^(-1/2) = V diag(1/sqrt(lambda)) V^T, as the reference's _msqrt(inv(C)): the
    # per-dimension jitter below is not rotation invariant, so the basis has to match the reference.
    whitened = (coords / scale) @ basis
    spread = whitened.std(axis=0)                   # ddof=0, as W_min.std(1) in the reference

    picked = rng.randint(X_minority.shape[0], size=n_samples)
    seed_whitened = whitened[picked]
    jittered = rng.uniform(seed_whitened - sd * spread, seed_whitened + sd * spread)

    # Back to range coordinates (this projection drops jitter that leaked into null directions).
    new_white = jittered @ basis.T
    seed_norm = np.linalg.norm(seed_whitened, axis=1, keepdims=True)
    new_norm = np.linalg.norm(new_white, axis=1, keepdims=True)
    # A jittered point exactly on the majority mean has no direction to rescale along: keep the seed.
    rescaled = new_white * np.divide(seed_norm, new_norm, out=np.zeros_like(new_norm), where=new_norm > 0)
    new_white = np.where(new_norm > 0, rescaled, seed_whitened @ basis.T)
    synthetic = (new_white * scale) @ basis + null_part[picked] + mean
    return picked, synthetic, basis.shape[0]
