"""The input checks and output assembly that every over-sampler of this project shares.

In: :func:`check_sampler_input` is the ``_check_X_y`` of every sampler that computes new feature values.
It accepts one label per row, at least one row, finite features and at least two classes, and by default
converts X to float (float32 stays float32, anything else numeric becomes float64). Samplers that need
dense X inherit :class:`DenseOnlyMixin`, which rejects sparse input and says so in the estimator tags;
the others may densify with :func:`to_dense`. Each failure is a ``ValueError`` (sparse input to a dense-only sampler: a
``TypeError``) whose message says what to do.

Out: :func:`append_synthetic` returns ``X`` unchanged followed by the synthetic rows, in ``X``'s
container (dense, or sparse in ``X``'s format) and dtype, and ``y`` followed by their labels in ``y``'s
dtype. :func:`room_for_synthetic` gives the same result for samplers that write their rows in place.

imbalanced-learn's ``fit_resample`` calls ``_check_X_y`` before it computes ``sampling_strategy_`` and
before ``_fit_resample``, so these checks run on every input before any sampler code does.
"""

from __future__ import annotations

import numpy as np
from imblearn.utils import check_target_type
from scipy import sparse
from sklearn.utils.validation import _num_samples, validate_data

FLOAT_DTYPES = [np.float64, np.float32]

__all__ = ["check_one_label_per_row", "check_sampler_input", "DenseOnlyMixin", "to_dense", "append_synthetic",
           "room_for_synthetic"]


def check_one_label_per_row(X, y) -> None:
    """Raise a ``ValueError`` unless ``X`` and ``y`` have the same number of rows, at least one."""
    n_rows, n_labels = _num_samples(X), _num_samples(y)
    if n_rows != n_labels:
        raise ValueError(
            f"X has {n_rows} rows but y has {n_labels} labels; pass exactly one label per row of X "
            "(same order, same length)."
        )
    if n_rows == 0:
        raise ValueError(
            "X is empty (0 samples); pass the rows to resample, with at least two classes among them."
        )


def _check_finite(sampler, X) -> None:
    values = X.data if sparse.issparse(X) else X
    # Fast path without an n x d temporary (as scikit-learn's own check): a NaN or inf makes the sum
    # non-finite; a non-finite sum of finite values (overflow) falls through to the exact check.
    if np.isfinite(np.sum(values, dtype=np.float64)):
        return
    finite = np.isfinite(values)
    if finite.all():
        return
    n_nan = int(np.isnan(values).sum())
    n_inf = int(finite.size - finite.sum()) - n_nan
    raise ValueError(
        f"X contains {n_nan} NaN and {n_inf} inf value(s); {type(sampler).__name__} computes new rows "
        "from the feature values and needs them finite. Impute missing values first (e.g. "
        "sklearn.impute.SimpleImputer as the first step of an imblearn Pipeline) and replace or drop "
        "infinite ones."
    )


def _check_two_classes(y) -> None:
    labels = np.unique(y)
    if labels.size < 2:
        raise ValueError(
            f"y has one class only ({labels[0]!r}); over-sampling balances two or more classes. Check "
            "that every class is present in the rows passed (e.g. split with stratify=y)."
        )


def check_sampler_input(sampler, X, y, *, accept_sparse: bool = True, dtype=FLOAT_DTYPES):
    """``BaseSampler._check_X_y`` for samplers that compute new feature values.

    ``dtype`` is passed to scikit-learn's ``validate_data``: the default keeps float32 and float64 and
    converts anything else to float64 (synthetic rows are real-valued). Returns ``(X, y, binarize_y)`` like imbalanced-learn's own check (``binarize_y``: y was given
    one-hot and the output labels must be one-hot again). Also sets ``n_features_in_`` and, for string
    column names, ``feature_names_in_``.
    """
    check_one_label_per_row(X, y)
    y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
    X, y = validate_data(
        sampler,
        X=X,
        y=y,
        reset=True,
        accept_sparse=["csr", "csc"] if accept_sparse else False,
        dtype=dtype,
        ensure_all_finite=False,  # checked below, with a message that names the remedy
    )
    _check_finite(sampler, X)
    _check_two_classes(y)
    return X, y, binarize_y


class DenseOnlyMixin:
    """For samplers that work on dense arrays only: sparse X is rejected, and the tags say so.

    The rejection is scikit-learn's ``TypeError`` ("... dense data is required. Use '.toarray()' to
    convert to a dense numpy array."). Put the mixin before ``BaseOverSampler`` in the bases.
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags

    def _check_X_y(self, X, y, accept_sparse=None):
        return check_sampler_input(self, X, y, accept_sparse=False)


def to_dense(X) -> np.ndarray:
    """``X`` as a dense array (a sparse matrix is expanded; a dense array is returned as is)."""
    return X.toarray() if sparse.issparse(X) else X


def append_synthetic(X, y, X_new: np.ndarray, y_new: np.ndarray):
    """``X`` and ``y`` unchanged, followed by the synthetic rows, in ``X``'s container and dtypes."""
    y_res = np.concatenate([y, np.asarray(y_new, dtype=y.dtype)])
    X_new = np.asarray(X_new).astype(X.dtype, copy=False)
    if sparse.issparse(X):
        return sparse.vstack([X, sparse.csr_matrix(X_new)], format=X.format), y_res
    return np.concatenate([X, X_new]), y_res


def room_for_synthetic(X, n_new: int):
    """``(X_res, tail)``: room for ``n_new`` synthetic rows, to be filled in place.

    For dense ``X``, ``X_res`` is a new array of ``len(X) + n_new`` rows in ``X``'s dtype that starts with
    ``X`` and ``tail`` is a view of its last ``n_new`` rows, so the synthetic rows are never held twice.
    For sparse ``X``, ``X_res`` is None and ``tail`` a dense array; pass it to :func:`append_synthetic`.
    """
    n_features = X.shape[1]
    if sparse.issparse(X):
        return None, np.empty((n_new, n_features), dtype=X.dtype)
    X_res = np.empty((X.shape[0] + n_new, n_features), dtype=X.dtype)
    X_res[: X.shape[0]] = X
    return X_res, X_res[X.shape[0] :]
