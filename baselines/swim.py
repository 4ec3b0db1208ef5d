"""SWIM, Mahalanobis version (Sharma, Bellinger, Krawczyk, Zaiane, Japkowicz, ICDM 2018).

Synthetic rows keep their seed's Mahalanobis distance to the majority mean. This follows the corrected
reference code (cbellinger27/SWIM ``SWIM_Maha/Swim_Maha.py`` after commit e7f4101, which centres the
minority on the majority mean and adds it back) with three documented changes: numpy's RNG from
``random_state``, a single vectorised generation step, and a principled treatment of a singular majority
covariance (pseudo-whitening on its range, seed's null-space component kept) instead of returning the
input unchanged.

``SWIM(variant="published")`` instead reproduces the reference code as it was when the GL-GAN paper was
written (before e7f4101): minority not centred on the majority mean, no mean added back, and a
rank-deficient majority returns the input unchanged. See :func:`_swim_published_one_class`.
"""

from __future__ import annotations

import numbers
import warnings

from sklearn.utils._param_validation import StrOptions

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

    variant : {{"corrected", "published"}}, default="corrected"
        ``"corrected"``: the algorithm after the reference code's centring fix (e7f4101, 2022), with the
        pseudo-inverse treatment of a singular majority covariance described above. ``"published"``: the
        reference code as it behaved before that fix, i.e. when the GL-GAN paper (2020) ran it: the
        minority is whitened without centring on the majority mean and mapped back without adding it,
        so distances are preserved about the origin; a majority matrix of rank below ``n_features``
        returns the class unchanged (with a :class:`UserWarning`, "generated no rows"); an exactly
        singular covariance of full-rank data falls back to random over-sampling plus Gaussian jitter
        ``0.1 * N(0, std_majority)``; a whitening that fails (non-finite or complex) leaves the class
        unchanged.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{{class_label: n_samples_to_generate}}``.
    seed_indices_ : ndarray of shape (n_synthetic,)
        Row index, in the input ``X``, of the seed of each synthetic row (in output order).
    covariance_rank_ : dict
        ``{{class_label: rank}}`` of the covariance of the rows outside that class; below
        ``n_features_in_`` the singular treatment was used. (``variant="published"``: the rank of the
        uncentred majority matrix, the reference's test.)
    published_path_ : dict
        Only for ``variant="published"``: ``{{class_label: path}}`` with path ``"whitened"`` (rows
        generated), ``"rank_deficient"`` (class left unchanged), ``"singular_jitter"`` (random
        over-sampling with jitter) or ``"whitening_failed"`` (class left unchanged).
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
        "variant": [StrOptions({"corrected", "published"})],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, sd=0.25, variant="corrected"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.sd = sd
        self.variant = variant

    def _fit_resample(self, X, y):
        rng = check_random_state(self.random_state)
        X64 = np.asarray(X, dtype=np.float64)
        X_new, y_new, seeds = [], [], []
        self.covariance_rank_ = {}
        if self.variant == "published":
            self.published_path_ = {}
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
            if self.variant == "published":
                picked, synthetic, rank, path = _swim_published_one_class(
                    X64[rows], X64[~in_class], n_samples, self.sd, rng
                )
                self.covariance_rank_[class_label] = rank
                self.published_path_[class_label] = path
                if picked is None:
                    reason = {
                        "rank_deficient": f"the rows outside it have rank {rank} < {X.shape[1]} features, "
                        "and the reference code returns its input unchanged then",
                        "whitening_failed": "the whitening matrix was not finite and real, and the reference "
                        "code returns its input unchanged then",
                    }[path]
                    warnings.warn(
                        f"SWIM (published) generated no rows for class {class_label} ({reason}); it stays at "
                        f"{rows.size} rows instead of {rows.size + n_samples}.",
                        UserWarning,
                        stacklevel=2,
                    )
                    continue
            else:
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


def _msqrt(matrix):
    """The reference's ``_msqrt``: ``V diag(sqrt(L)) V^T`` from ``np.linalg.eig`` (not ``eigh``)."""
    eigenvalues, vectors = np.linalg.eig(matrix)
    return vectors.dot(np.diag(np.sqrt(eigenvalues))).dot(vectors.T)


def _swim_published_one_class(X_minority, X_majority, n_samples, sd, rng):
    """SWIM as ``cbellinger27/SWIM`` ``SWIM_Maha/Swim_Maha.py`` behaved before commit e7f4101 (2022-03-03).

    Returns ``(picked, synthetic, rank, path)``; ``picked`` is ``None`` when the reference would have
    returned its input unchanged. Line by line (reference at 3102647, 2020-05-19, unchanged until e7f4101):

    1. ``matrix_rank(data_maj_orig) < d`` (uncentred majority) -> input returned unchanged (the
       ``subSpaceSampling=False`` default; the ``True`` path is broken and also returns no rows).
    2. ``C = np.cov`` of the centred majority; ``inv(C)`` raising "Singular matrix" -> random
       over-sampling plus ``0.1 * N(0, std_majority)`` jitter.
    3. ``M = _msqrt(inv(C))`` via ``np.linalg.eig``; ``M_inv = inv(M)``; ``W_min = M @ x_min`` with the
       minority **not centred** (the bug fixed in e7f4101).
    4. per-dimension jitter ``uniform(seed +- sd * std)`` (whitened minority std, ddof 0), rescaled to the
       seed's norm, mapped back with ``M_inv`` **without adding the majority mean**.

    Deviations: numpy's ``RandomState`` instead of Python's ``random`` and numpy's global generator (the
    order of draws is the reference's: seed indices, then jitter row by row); the vectorised draw; when
    ``eig`` returns complex values with negligible imaginary parts the real part is used (the reference
    would hand complex rows to the classifier, which scikit-learn rejects); a whitening that is not finite
    (the reference would return NaN rows, or raise and return its input) leaves the class unchanged.
    """
    n_features = X_majority.shape[1]
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        rank = int(np.linalg.matrix_rank(X_majority))
        if rank < n_features:
            return None, None, rank, "rank_deficient"
        centred_majority = X_majority - X_majority.mean(axis=0)
        covariance = np.atleast_2d(np.cov(centred_majority.T))
        try:
            covariance_inv = np.linalg.inv(covariance)
        except np.linalg.LinAlgError:  # the reference matches 'Singular matrix' in the message
            picked = rng.choice(X_minority.shape[0], n_samples, replace=True)
            jitter = 0.1 * rng.normal(0, X_majority.std(axis=0), (n_samples, n_features))
            synthetic = X_minority[picked] + jitter
            if not np.isfinite(synthetic).all():
                return None, None, rank, "whitening_failed"
            return picked, synthetic, rank, "singular_jitter"
        try:
            M = _msqrt(covariance_inv)
            if np.iscomplexobj(M):
                scale = np.max(np.abs(M)) if M.size else 0.0
                if not np.all(np.abs(M.imag) <= 1e-8 * scale):
                    return None, None, rank, "whitening_failed"
                M = M.real
            if not np.isfinite(M).all():
                return None, None, rank, "whitening_failed"
            M_inv = np.linalg.inv(M)
        except np.linalg.LinAlgError:  # the reference's bare except: "synthetic instances not generated"
            return None, None, rank, "whitening_failed"
        whitened = X_minority @ M.T                    # M.dot(T_min), T_min uncentred (pre-fix)
        spread = whitened.std(axis=0)
        picked = rng.randint(X_minority.shape[0], size=n_samples)  # np.random.choice(n, k): with replacement
        seed_whitened = whitened[picked]
        jittered = rng.uniform(seed_whitened - sd * spread, seed_whitened + sd * spread)
        seed_norm = np.linalg.norm(seed_whitened, axis=1, keepdims=True)
        new_norm = np.linalg.norm(jittered, axis=1, keepdims=True)
        rescaled = jittered / (new_norm / seed_norm)
        synthetic = rescaled @ M_inv.T                 # M_inv.dot(new_w); no inverse_transform (pre-fix)
    if not np.isfinite(synthetic).all():
        return None, None, rank, "whitening_failed"
    return picked, synthetic, rank, "whitened"
