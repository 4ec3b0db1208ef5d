"""Random over-sampling: imbalanced-learn's ``RandomOverSampler`` plus the X/y length check it skips.

imbalanced-learn 0.14.2 validates X with ``skip_check_array=True`` (``_random_over_sampler.py``,
``_check_X_y``) so that any data, NaN and strings included, can be copied row by row. That also skips the
check that X and y have as many rows: with one label too few the labels are silently paired with the
wrong rows and the result has more rows than labels. This subclass adds that one check; everything else,
output included, is imbalanced-learn's.
"""

from __future__ import annotations

from imblearn.over_sampling import RandomOverSampler as _ImblearnRandomOverSampler

from glgan.sampler_contract import check_one_label_per_row

__all__ = ["RandomOverSampler"]


class RandomOverSampler(_ImblearnRandomOverSampler):
    """:class:`imblearn.over_sampling.RandomOverSampler` that rejects X and y of different lengths.

    Same parameters, attributes and output as imbalanced-learn's class (rows of each class to grow are
    drawn with replacement and appended after the original rows). Like it, it copies rows as they are,
    so NaN, infinite and non-numeric values are accepted and copied. X and y of different lengths, or
    an empty X, raise a ``ValueError`` that says so.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to grow and by how much, as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Seed of the rows drawn (and of the smoothed bootstrap's perturbation).
    shrinkage : float, dict or None, default=None
        Shrinkage of the covariance of the smoothed bootstrap, for all classes (float) or per class
        (dict); ``None`` (or 0) copies the drawn rows unperturbed. As in imbalanced-learn.
    """

    def _check_X_y(self, X, y):
        check_one_label_per_row(X, y)
        return super()._check_X_y(X, y)
