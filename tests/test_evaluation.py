import numpy as np
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression

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
    assert result["mcc"] > 0.8 and result["classifier_seconds"] >= 0
    dummy = evaluate_classifier(DummyClassifier(), X[:100], y[:100], X[100:], y[100:])
    assert dummy["mcc"] == 0.0
