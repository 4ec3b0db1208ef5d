"""Classifier evaluation of a (possibly resampled) training set on the test set (§4.1.2, §4.1.3)."""

from __future__ import annotations

import time
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    log_loss,
    matthews_corrcoef,
    roc_auc_score,
)

from glgan.experiment.protocol import MINORITY

METRICS = ("macro_f1", "micro_f1", "mcc")
#: Metrics of the classifier's continuous minority score, not of its decisions (KEEL benchmark only).
RANKING_METRICS = ("roc_auc", "average_precision")
#: The KEEL benchmark's records carry these too (the paper experiment's records are unchanged).
BENCHMARK_METRICS = ("mcc", "macro_f1", "gmean", "balanced_accuracy", *RANKING_METRICS)
#: How well the predicted minority probability is calibrated (lower is better; KEEL benchmark only). A classifier
#: without ``predict_proba`` (LinearSVC) gets NaN: its decision function is not a probability.
CALIBRATION_METRICS = ("brier", "log_loss")


def scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """Macro F1, micro F1 and the Matthews correlation coefficient (MCC is 0 for constant predictions)."""
    return {
        "macro_f1": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
        "micro_f1": float(f1_score(y_true, y_pred, average="micro", zero_division=0)),
        "mcc": float(matthews_corrcoef(y_true, y_pred)),
    }


def benchmark_scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """:func:`scores` plus the geometric mean of the class recalls and the balanced accuracy."""
    from imblearn.metrics import geometric_mean_score

    return {
        **scores(y_true, y_pred),
        "gmean": float(geometric_mean_score(y_true, y_pred, average="binary")),
        "balanced_accuracy": float(balanced_accuracy_score(y_true, y_pred)),
    }


def minority_scores(model, X) -> np.ndarray:
    """The fitted ``model``'s continuous score of the minority class: ``predict_proba``, else ``decision_function``.

    Classifiers without probabilities (LinearSVC) are ranked by their decision function, which ROC AUC and
    average precision accept as well as a probability.
    """
    classes = list(model.classes_)
    if hasattr(model, "predict_proba"):
        return np.asarray(model.predict_proba(X))[:, classes.index(MINORITY)]
    if hasattr(model, "decision_function"):
        decision = np.asarray(model.decision_function(X), dtype=float)
        return decision if classes.index(MINORITY) == 1 else -decision  # binary: positive means classes_[1]
    raise TypeError(f"{type(model).__name__} has neither predict_proba nor decision_function; it cannot be ranked.")


def calibration_scores(model, X, y_true: np.ndarray) -> dict[str, float]:
    """Brier score and log-loss of the fitted ``model``'s minority probability (NaN without ``predict_proba``).

    Brier: the mean of (p - y)^2 over the rows, y = 1 for the minority. Log-loss: the mean of -(y log p +
    (1 - y) log(1 - p)), p clipped to [1e-15, 1 - 1e-15] so that a confident mistake costs a finite amount.
    """
    if not hasattr(model, "predict_proba"):
        return dict.fromkeys(CALIBRATION_METRICS, float("nan"))
    p = np.asarray(model.predict_proba(X))[:, list(model.classes_).index(MINORITY)]
    y = (np.asarray(y_true) == MINORITY).astype(int)
    return {"brier": float(brier_score_loss(y, p)),
            "log_loss": float(log_loss(y, np.clip(p, 1e-15, 1 - 1e-15), labels=[0, 1]))}


def ranking_scores(y_true: np.ndarray, y_score: np.ndarray) -> dict[str, float]:
    """ROC AUC and average precision of the minority class (label 1) for continuous scores."""
    return {"roc_auc": float(roc_auc_score(y_true, y_score)),
            "average_precision": float(average_precision_score(y_true, y_score, pos_label=MINORITY))}


def evaluate_classifier(classifier, X_train, y_train, X_test, y_test, *, score=scores, ranking: bool = False,
                        describe=None) -> dict:
    """Fit a fresh clone of ``classifier`` on the training set and score it on the test set.

    ``score(y_true, y_pred)`` gives the metrics (:func:`scores`, or :func:`benchmark_scores`); ``ranking``
    adds :func:`ranking_scores` of :func:`minority_scores` and :func:`calibration_scores`; ``describe(fitted_model)`` adds fields of its own
    (the chosen decision threshold, say). ``classifier_seconds`` is the fit and predict time.

    Convergence warnings (MLP and LinearSVC at their default ``max_iter``) are expected with the paper's
    "default settings"; they are counted in ``convergence_warnings`` instead of flooding the log.
    """
    model = clone(classifier)
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(X_train, y_train)
        y_pred = model.predict(X_test)
    seconds = time.perf_counter() - start
    n_convergence = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
    for w in caught:
        if not issubclass(w.category, ConvergenceWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    extra = {**ranking_scores(y_test, minority_scores(model, X_test)), **calibration_scores(model, X_test, y_test)} \
        if ranking else {}
    if describe is not None:
        extra.update(describe(model))
    return {**score(y_test, y_pred), **extra, "classifier_seconds": seconds, "convergence_warnings": n_convergence}
