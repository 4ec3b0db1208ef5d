"""MDO and NRAS from smote-variants (Kovács, 2019) as imbalanced-learn over-samplers.

The paper takes MDO and NRAS from smote-variants "with default settings". smote-variants 1.0.1 keeps the
defaults of 0.3.13 (January 2020), so these wrappers expose exactly those defaults. The library is
binary-only (it silently ignores a third class), not ``sklearn.clone``-able and rejects pandas input; the
wrappers run it one-vs-rest over ``sampling_strategy_`` with the exact counts imbalanced-learn asks for.
"""

from __future__ import annotations

import contextlib
import logging
import numbers
import warnings

import numpy as np
import smote_variants as sv
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import Substitution
from imblearn.utils._docstring import _random_state_docstring
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval

from glgan.sampler_contract import DenseOnlyMixin, append_synthetic

__all__ = ["MDO", "NRAS"]

_TARGET, _REST = 1, 0  # labels of the binary problem handed to the library


class _OneVsRest:
    """Mixin for a smote-variants class: fixed minority label, fixed sample count, recorded fallbacks.

    The library picks its minority as the smaller of two classes and generates ``(n_maj - n_min) *
    proportion`` rows (``det_n_to_sample``); pinning both lets one class grow by an exact amount even
    when it is not the smaller side of class-vs-rest.
    """

    def pin(self, n_to_generate):
        self.n_to_generate = n_to_generate
        self.copies_reason = None
        return self

    def class_label_statistics(self, y):
        super().class_label_statistics(y)
        self.min_label, self.maj_label = _TARGET, _REST

    def det_n_to_sample(self, strategy, n_maj=None, n_min=None):
        return self.n_to_generate

    def return_copies(self, X, y, msg):
        self.copies_reason = msg
        return super().return_copies(X, y, msg)


class _PinnedMDO(_OneVsRest, sv.MDO):
    pass


class _PinnedNRAS(_OneVsRest, sv.NRAS):
    def pin(self, n_to_generate):
        self.noise_positions = np.empty(0, dtype=np.intp)
        return super().pin(n_to_generate)

    def generate_samples(self, *, to_remove, **kwargs):
        # to_remove: positions, among the target class's rows, that NRAS flags as noise and drops.
        self.noise_positions = np.asarray(to_remove, dtype=np.intp)
        return super().generate_samples(to_remove=to_remove, **kwargs)


@contextlib.contextmanager
def _quiet_library():
    """Silence smote-variants' INFO logging and the FutureWarning NRAS triggers in scikit-learn >= 1.8."""
    library_logger = logging.getLogger("smote_variants")
    level = library_logger.level
    library_logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            # NRAS passes n_jobs to LogisticRegression (deprecated without effect since scikit-learn 1.8).
            warnings.filterwarnings("ignore", message=".*'n_jobs' has no effect.*", category=FutureWarning)
            yield
    finally:
        library_logger.setLevel(level)


class _SmoteVariantsOverSampler(DenseOnlyMixin, BaseOverSampler):
    """Shared one-vs-rest driver; subclasses name the library class and its parameters."""

    def _library_sampler(self, seed):
        raise NotImplementedError

    def _library_seed(self):
        # The library needs a plain int (None would make it draw from numpy's global RNG). As in
        # imbalanced-learn's SMOTE, every class is grown with a generator started from the same seed.
        if isinstance(self.random_state, numbers.Integral):
            return int(self.random_state)
        return int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))

    def _fit_resample(self, X, y):
        seed = self._library_seed()
        rng = np.random.default_rng(seed)  # only for subclasses that subsample the library's rows
        X64 = np.asarray(X, dtype=np.float64)
        keep = np.ones(y.size, dtype=bool)
        X_new, y_new = [], []
        for class_label, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            grown = self._grow_class(X64, y, class_label, n_samples, seed, rng)
            if grown is None:
                continue
            kept, synthetic = grown
            keep &= kept
            X_new.append(synthetic.astype(X.dtype, copy=False))
            y_new.append(np.full(synthetic.shape[0], class_label, dtype=y.dtype))
        self.removed_indices_ = np.flatnonzero(~keep)
        return self._assemble(X, y, keep, X_new, y_new)

    def _grow_class(self, X64, y, class_label, n_samples, seed, rng):
        """One class against the rest: ``(rows of X kept, synthetic rows)``, or None when nothing was made."""
        rows = np.flatnonzero(y == class_label)
        sampler = self._library_sampler(seed).pin(n_samples)
        with _quiet_library():
            X_out, _ = sampler.sample(X64, np.where(y == class_label, _TARGET, _REST))
        if X_out.shape[0] == y.size:  # the library fell back to returning its input
            reason = sampler.copies_reason or f"smote-variants needs more than 2 rows, got {rows.size}"
            warnings.warn(
                f"{type(self).__name__} generated no rows for class {class_label} ({reason}); "
                f"it stays at {rows.size} rows instead of {rows.size + n_samples}.",
                UserWarning,
                stacklevel=3,  # the caller of _fit_resample
            )
            return None
        dropped = rows[getattr(sampler, "noise_positions", np.empty(0, dtype=np.intp))]
        # Synthetic rows come last in the library's output (MDO: X then new; NRAS: kept rows then new).
        n_synthetic = X_out.shape[0] - (y.size - dropped.size)
        if n_synthetic != n_samples + dropped.size:
            raise RuntimeError(
                f"smote-variants returned {n_synthetic} new rows for class {class_label} in "
                f"{type(self).__name__}; {n_samples + dropped.size} were expected. These wrappers are "
                "written against smote-variants 1.0.1; check the installed version."
            )
        kept = np.ones(y.size, dtype=bool)
        kept[dropped] = False
        return kept, X_out[X_out.shape[0] - n_synthetic :]

    def _assemble(self, X, y, keep, X_new, y_new):
        if not X_new:
            return X, y
        return append_synthetic(X[keep], y[keep], np.concatenate(X_new), np.concatenate(y_new))


@Substitution(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    random_state=_random_state_docstring,
)
class MDO(_SmoteVariantsOverSampler):
    """Mahalanobis Distance-based Over-sampling (Abdi & Hashemi, TKDE 2016), from smote-variants.

    Minority rows with at least ``int(K2 * K1_frac)`` minority rows among their ``K2`` nearest neighbours
    (over all classes) are kept as seeds, weighted by that count. A synthetic row lies on the ellipsoid,
    in the PCA frame of the kept seeds, of the same Mahalanobis distance to their mean as its seed.
    Classes are grown one-vs-rest with exactly the counts in ``sampling_strategy_``. If no seed survives
    the selection, or the class has 2 rows or fewer, the library generates nothing; the class is then
    left as it is and a :class:`UserWarning` says so.

    Parameters
    ----------
    {sampling_strategy}

    {random_state}

    K2 : int, default=5
        Number of nearest neighbours inspected around each minority row.
    K1_frac : float, default=0.5
        Fraction of ``K2`` minority neighbours a row needs to serve as a seed.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{{class_label: n_samples_to_generate}}``.
    removed_indices_ : ndarray of shape (0,)
        Always empty: MDO keeps every original row (shared with :class:`NRAS`).
    n_features_in_ : int
        Number of features seen during ``fit_resample``.

    References
    ----------
    .. [1] L. Abdi, S. Hashemi, "To combat multi-class imbalanced problems by means of over-sampling
       techniques", IEEE TKDE 28(1) (2016) 238-251.
    .. [2] G. Kovács, "smote-variants: a Python implementation of 85 minority oversampling techniques",
       Neurocomputing 366 (2019) 352-354.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "K2": [Interval(numbers.Integral, 1, None, closed="left")],
        "K1_frac": [Interval(numbers.Real, 0, 1, closed="both")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, K2=5, K1_frac=0.5):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.K2 = K2
        self.K1_frac = K1_frac

    def _library_sampler(self, seed):
        return _PinnedMDO(K2=self.K2, K1_frac=self.K1_frac, random_state=seed)


@Substitution(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    random_state=_random_state_docstring,
)
class NRAS(_SmoteVariantsOverSampler):
    """Noise Reduction A priori Synthetic over-sampling (Rivera, Inf. Sci. 2017), from smote-variants.

    Features are min-max scaled and extended by a logistic-regression propensity score; a minority row
    with fewer than ``t * (n_neighbors + 1)`` minority rows among its ``n_neighbors`` nearest neighbours
    (all classes, itself excluded) is noise. **Noise rows are removed from the output** (as the library does, and as the
    paper describes NRAS), and as many extra synthetic rows are generated, so each grown class still ends
    with ``n_class + sampling_strategy_[class]`` rows; the output is therefore not a superset of the
    input. Synthetic rows are SMOTE-style interpolations between a non-noise minority row and one of its
    neighbours. If nearly all rows of a class (all but one or more) are noise, or the class has 2 rows or
    fewer, the library generates nothing; the class is then left as it is and a :class:`UserWarning`
    says so.

    Parameters
    ----------
    {sampling_strategy}

    {random_state}

    n_neighbors : int, default=5
        Number of nearest neighbours used for the noise test and as interpolation partners.
    t : float, default=0.5
        Noise threshold: a row needs at least ``t * (n_neighbors + 1)`` minority neighbours (the
        library's rule; 3 of 5 with the defaults).

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{{class_label: n_samples_to_generate}}``.
    removed_indices_ : ndarray
        Sorted row indices, in the input ``X``, of the original rows dropped as noise.
    n_features_in_ : int
        Number of features seen during ``fit_resample``.

    References
    ----------
    .. [1] W. A. Rivera, "Noise reduction a priori synthetic over-sampling for class imbalanced data
       sets", Information Sciences 408 (2017) 146-161.
    .. [2] G. Kovács, "smote-variants: a Python implementation of 85 minority oversampling techniques",
       Neurocomputing 366 (2019) 352-354.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "t": [Interval(numbers.Real, 0, 1, closed="both")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=5, t=0.5):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.t = t

    def _library_sampler(self, seed):
        return _PinnedNRAS(n_neighbors=self.n_neighbors, t=self.t, random_state=seed)
