"""The three top-ranked smote-variants over-samplers of the KEEL benchmark (baselines/smote_variants_top.py)."""

from collections import Counter

import numpy as np
import pytest
from imblearn.pipeline import make_pipeline
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from baselines import SMOTEIPF, PolynomFitSMOTEStar, ProWSyn
from baselines.smote_variants_top import _surviving_rows

SAMPLERS = [PolynomFitSMOTEStar, ProWSyn, SMOTEIPF]


@pytest.fixture(scope="module")
def binary():
    X, y = make_classification(n_samples=300, n_features=6, n_informative=4, n_redundant=0, weights=[0.9],
                               flip_y=0.05, random_state=3)
    return X * np.array([1, 10, 0.1, 3, 1, 2]) + 4.0, y


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_binary_balance_originals_first_and_determinism(Sampler, binary):
    X, y = binary
    sampler = Sampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    kept = np.setdiff1d(np.arange(len(y)), sampler.removed_indices_)
    np.testing.assert_array_equal(X_res[: kept.size], X[kept])
    synthetic = X_res[kept.size:]
    assert np.isfinite(synthetic).all() and (y_res[kept.size:] == 1).all()
    if Sampler is not SMOTEIPF:  # SMOTE-IPF's filter may remove rows of either class
        assert Counter(y_res) == {0: Counter(y)[0], 1: Counter(y)[0]}
    again = clone(sampler).fit_resample(X, y)
    np.testing.assert_array_equal(again[0], X_res)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_dict_strategy_exact_count(Sampler, binary):
    X, y = binary
    X_res, y_res = Sampler(sampling_strategy={1: 100}, random_state=1).fit_resample(X, y)
    assert Counter(y_res)[1] in range(95, 101)  # SMOTE-IPF may filter a few
    if Sampler is not SMOTEIPF:
        assert Counter(y_res)[1] == 100


def test_star_points_lie_between_rows_and_the_minority_mean(binary):
    X, y = binary
    X_res, _ = PolynomFitSMOTEStar(random_state=0).fit_resample(X, y)
    minority = X[y == 1]
    synthetic = X_res[len(y):]
    mean = minority.mean(axis=0)
    # Every synthetic row is on the segment from some minority row to the mean.
    t = ((synthetic[:, None, :] - minority[None]) * (mean - minority)[None]).sum(-1) / ((mean - minority) ** 2).sum(-1)
    residual = np.linalg.norm(minority[None] + t[..., None] * (mean - minority)[None] - synthetic[:, None], axis=-1)
    assert (residual.min(axis=1) < 1e-8).all()


def test_surviving_rows_follows_the_library_order():
    X = np.arange(12.0).reshape(6, 2)
    out = np.vstack([X[[0, 2, 3, 5]], [[100.0, 100.0]]])
    np.testing.assert_array_equal(_surviving_rows(X, out), [True, False, True, True, False, True])


def test_in_a_pipeline_and_invalid_parameters(binary):
    X, y = binary
    model = make_pipeline(ProWSyn(random_state=0), LogisticRegression()).fit(X, y)
    # The classifier is fit on the resampled rows (which differ from a fit on the original ones).
    X_res, y_res = ProWSyn(random_state=0).fit_resample(X, y)
    np.testing.assert_allclose(model[-1].coef_, LogisticRegression().fit(X_res, y_res).coef_)
    assert not np.allclose(model[-1].coef_, LogisticRegression().fit(X, y).coef_, rtol=1e-3)
    with pytest.raises(ValueError, match="theta"):
        ProWSyn(theta=-1).fit_resample(X, y)
    with pytest.raises(ValueError, match="voting"):
        SMOTEIPF(voting="all").fit_resample(X, y)
