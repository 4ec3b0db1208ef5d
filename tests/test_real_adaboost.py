"""SAMME.R AdaBoost against scikit-learn's own SAMME.R (fixtures made by scripts/make_samme_r_fixture.py)."""

from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.ensemble import AdaBoostClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from glgan.experiment.real_adaboost import SAMMERAdaBoostClassifier

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_FILES = sorted(FIXTURES.glob("samme_r_sklearn-*.npz"))
CASES = ("balanced", "imbalanced", "wide", "three_class", "separable")


def test_fixtures_are_present():
    versions = {str(np.load(f)["sklearn_version"]) for f in FIXTURE_FILES}
    assert {"0.22.2.post1", "1.5.2"} <= versions


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("case", CASES)
def test_matches_scikit_learn_samme_r(path, case):
    data = np.load(path)
    X = data[f"{case}__X"].astype(np.float64) / 256
    y, n_train = data[f"{case}__y"], int(data[f"{case}__n_train"])
    # 1.5.2 floors sample weights at eps (scikit-learn >= 1.0); 0.22 does not.
    clip = not str(data["sklearn_version"]).startswith("0.")
    model = SAMMERAdaBoostClassifier(random_state=int(data[f"{case}__seed"]), clip_sample_weight=clip)
    model.fit(X[:n_train], y[:n_train])
    assert len(model.estimators_) == int(data[f"{case}__n_estimators_fitted"])
    np.testing.assert_array_equal(model.predict(X[n_train:]), data[f"{case}__predict"])
    np.testing.assert_array_equal(model.predict(X[:n_train]), data[f"{case}__train_predict"])
    np.testing.assert_allclose(model.decision_function(X[n_train:]), data[f"{case}__decision_function"],
                               rtol=0, atol=1e-10)
    np.testing.assert_allclose(model.predict_proba(X[n_train:]), data[f"{case}__predict_proba"], rtol=0, atol=1e-10)


def test_perfect_stump_stops_after_one_round():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([0, 0, 1, 1])
    model = SAMMERAdaBoostClassifier(random_state=0).fit(X, y)
    assert len(model.estimators_) == 1 and model.estimator_errors_[0] == 0
    np.testing.assert_array_equal(model.predict(X), y)


def test_differs_from_samme_and_is_cloneable_with_defaults():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 6))
    y = (X[:, 0] + 0.5 * X[:, 1] ** 2 + rng.normal(scale=0.5, size=200) > 0.5).astype(int)
    real = clone(SAMMERAdaBoostClassifier(random_state=0)).fit(X, y)
    discrete = AdaBoostClassifier(random_state=0).fit(X, y)  # today's only algorithm: SAMME
    assert real.get_params()["n_estimators"] == 50 and real.learning_rate == 1.0
    assert not np.allclose(real.decision_function(X), discrete.decision_function(X))
    np.testing.assert_allclose(real.predict_proba(X).sum(axis=1), 1.0)


# Boosting draws a different tree seed sequence for repeated rows than for integer weights; scikit-learn's
# own AdaBoostClassifier is exempt from this check for the same reason.
@parametrize_with_checks(
    [SAMMERAdaBoostClassifier(n_estimators=5, random_state=0)],
    expected_failed_checks=lambda est: {
        f"check_sample_weight_equivalence_on_{kind}_data": "boosting, as scikit-learn's" for kind in ("dense", "sparse")
    },
)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)
