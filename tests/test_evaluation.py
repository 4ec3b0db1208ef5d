import numpy as np
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import matthews_corrcoef

from glgan.experiment.evaluation import evaluate_classifier, scores


def test_scores_against_hand_computed_values():
    y_true = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    y_pred = np.array([0, 0, 0, 1, 1, 1, 0, 0])
    # confusion: tn=3 fp=1 fn=2 tp=2
    result = scores(y_true, y_pred)
    f1_pos, f1_neg = 2 * 2 / (2 * 2 + 1 + 2), 2 * 3 / (2 * 3 + 2 + 1)
    assert result["macro_f1"] == pytest.approx((f1_pos + f1_neg) / 2)
    assert result["micro_f1"] == pytest.approx(5 / 8)
    assert result["mcc"] == pytest.approx((2 * 3 - 1 * 2) / np.sqrt(3 * 4 * 4 * 5))


def test_constant_prediction_scores_zero_mcc():
    result = scores(np.array([0, 0, 1, 1]), np.array([0, 0, 0, 0]))
    assert result["mcc"] == 0.0
    assert result["micro_f1"] == 0.5


def test_evaluate_fits_a_clone_and_reports_time():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] > 0).astype(int)
    clf = LogisticRegression()
    result = evaluate_classifier(clf, X[:100], y[:100], X[100:], y[100:])
    assert not hasattr(clf, "coef_"), "the caller's estimator must stay unfitted"
    # Fit on the training rows, scored on the test rows.
    fitted = LogisticRegression().fit(X[:100], y[:100])
    assert result["mcc"] == pytest.approx(matthews_corrcoef(y[100:], fitted.predict(X[100:])), rel=1e-12)
    assert result["mcc"] != pytest.approx(matthews_corrcoef(y[:100], fitted.predict(X[:100])))
    assert result["classifier_seconds"] >= 0
    dummy = evaluate_classifier(DummyClassifier(), X[:100], y[:100], X[100:], y[100:])
    assert dummy["mcc"] == 0.0


def test_calibration_scores_on_a_hand_computed_case():
    """Brier = mean (p - y)^2, log-loss = mean -(y ln p + (1 - y) ln(1 - p)) of the minority probability p."""
    from glgan.experiment.evaluation import calibration_scores

    class Fixed:
        classes_ = np.array([0, 1])

        def predict_proba(self, X):
            p = np.array([0.8, 0.3, 0.1, 0.4])
            return np.column_stack([1 - p, p])

    y = np.array([1, 0, 0, 1])
    found = calibration_scores(Fixed(), np.zeros((4, 1)), y)
    assert found["brier"] == pytest.approx((0.2 ** 2 + 0.3 ** 2 + 0.1 ** 2 + 0.6 ** 2) / 4)  # 0.125
    assert found["log_loss"] == pytest.approx(-(np.log(0.8) + np.log(0.7) + np.log(0.9) + np.log(0.4)) / 4)
    Fixed.classes_ = np.array([1, 0])  # the minority's column follows classes_
    swapped = calibration_scores(Fixed(), np.zeros((4, 1)), 1 - y)
    assert swapped["brier"] == pytest.approx(found["brier"])


def test_calibration_scores_are_nan_without_probabilities():
    from sklearn.svm import LinearSVC

    from glgan.experiment.evaluation import calibration_scores

    X = np.array([[0.0], [1.0], [0.1], [0.9]])
    y = np.array([0, 1, 0, 1])
    found = calibration_scores(LinearSVC().fit(X, y), X, y)
    assert np.isnan(found["brier"]) and np.isnan(found["log_loss"])
