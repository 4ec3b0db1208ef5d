"""Two ways of handling imbalance without oversampling: balanced class weights and a tuned decision threshold.

They are the KEEL benchmark's answer to "is oversampling needed at all?" (Elor & Averbuch-Elor 2022). Each is
configured like a sampler (``configs/method/class_weight.yaml``, ``configs/method/threshold.yaml``), so the
runner builds and hashes every method alike: ``fit_resample`` returns the training fold unchanged (exactly
as the ``imbalanced`` method does), and :func:`glgan.experiment.pipeline.run_fold` trains each classifier
through ``adapt_classifier`` and stores what ``describe`` says about the fitted model.

* :class:`ClassWeighting` fits every classifier with balanced sample weights, ``n / (2 n_class)`` per row
  (scikit-learn's ``class_weight="balanced"``); a classifier whose ``fit`` takes no ``sample_weight`` is refused.
* :class:`ThresholdTuning` fits every classifier on the imbalanced fold and moves its decision threshold to
  the one that maximises MCC inside the training rows it is given, on one stratified validation split or by
  inner stratified cross-validation (scikit-learn's :class:`~sklearn.model_selection.TunedThresholdClassifierCV`);
  the test fold is never passed to it.
"""

from __future__ import annotations

import numpy as np
from imblearn import FunctionSampler
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, has_fit_parameter

__all__ = ["BalancedWeightClassifier", "ClassWeighting", "MCCThresholdClassifier", "ThresholdTuning"]


def _wrapped_has(attribute: str):
    """``available_if`` check: the fitted (else the unfitted) wrapped classifier has ``attribute``."""
    return lambda self: hasattr(getattr(self, "estimator_", self.estimator), attribute)


class _DelegatingClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Scores of the fitted ``estimator_``; subclasses define ``fit`` (and may override ``predict``)."""

    def __init__(self, estimator):
        self.estimator = estimator

    @property
    def classes_(self):
        check_is_fitted(self, "estimator_")
        return self.estimator_.classes_

    def predict(self, X):
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict(X)

    @available_if(_wrapped_has("predict_proba"))
    def predict_proba(self, X):
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    @available_if(_wrapped_has("decision_function"))
    def decision_function(self, X):
        check_is_fitted(self, "estimator_")
        return self.estimator_.decision_function(X)


class BalancedWeightClassifier(_DelegatingClassifier):
    """``estimator`` fit with balanced sample weights, ``n_samples / (n_classes * n_class)`` per row.

    Parameters
    ----------
    estimator : classifier whose ``fit`` accepts ``sample_weight``

    Attributes
    ----------
    estimator_ : the fitted clone of ``estimator``
    """

    def fit(self, X, y):
        if not has_fit_parameter(self.estimator, "sample_weight"):
            raise TypeError(f"{type(self.estimator).__name__}.fit takes no sample_weight, so class_weight "
                            "cannot weight it.")
        weights = compute_sample_weight("balanced", y)
        self.estimator_ = clone(self.estimator).fit(X, y, sample_weight=weights)
        return self


class MCCThresholdClassifier(_DelegatingClassifier):
    """``estimator`` with the decision threshold that maximises MCC inside the rows given to ``fit``.

    :class:`~sklearn.model_selection.TunedThresholdClassifierCV` with ``scoring="matthews_corrcoef"``, its
    default 100 candidate thresholds over the validation scores (``predict_proba``, else ``decision_function``)
    and ``refit=True``: the returned classifier is ``estimator`` fit on all rows given to ``fit``, with the tuned
    threshold. The threshold is chosen either on one stratified shuffle split (``cv=None``: ``validation_size``
    of the rows validate) or by stratified ``cv``-fold cross-validation, whose MCC curves are averaged over the
    folds before the best threshold is taken (scikit-learn's default way). The folds are fewer where the
    minority has fewer rows than ``cv`` (``n_folds_``). If the inner classifier scores every validation row the
    same, or the minority has fewer than two rows, no threshold can be tuned; the classifier then keeps its own
    threshold and ``threshold_`` is ``None``.

    Parameters
    ----------
    estimator : classifier with ``predict_proba`` or ``decision_function``
    validation_size : float in (0, 1), default=0.25
        With ``cv=None``: the share of the rows given to ``fit`` that choose the threshold.
    cv : int >= 2 or None, default=None
        Inner stratified folds (shuffled with ``random_state``); ``None``: the single split.
    random_state : int or None, default=None
        Seeds the inner split or folds.

    Attributes
    ----------
    estimator_ : ``estimator`` fit on every row given to ``fit``
    threshold_ : float or None
        The tuned threshold on the scale of the classifier's scores (``None``: its own threshold was kept).
    validation_mcc_ : float
        The inner MCC at ``threshold_`` (averaged over the folds with ``cv``; NaN when none was tuned).
    n_folds_ : int
        Inner folds used (1: the single split; 0: none, no threshold tuned).
    """

    def __init__(self, estimator, *, validation_size=0.25, cv=None, random_state=None):
        super().__init__(estimator)
        self.validation_size = validation_size
        self.cv = cv
        self.random_state = random_state

    def _splitter(self, y):
        if self.cv is None:
            return self.validation_size, 1
        folds = min(int(self.cv), int(np.bincount(np.unique(y, return_inverse=True)[1]).min()))
        return (StratifiedKFold(folds, shuffle=True, random_state=self.random_state), folds) if folds >= 2 else (None, 0)

    def fit(self, X, y):
        if not 0 < self.validation_size < 1:
            raise ValueError(f"validation_size must be in (0, 1), got {self.validation_size!r}.")
        if self.cv is not None and (isinstance(self.cv, bool) or not isinstance(self.cv, (int, np.integer)) or self.cv < 2):
            raise ValueError(f"cv must be None (one validation split) or an integer >= 2, got {self.cv!r}.")
        splitter, self.n_folds_ = self._splitter(y)
        tuner = TunedThresholdClassifierCV(self.estimator, scoring="matthews_corrcoef", cv=splitter,
                                           refit=True, random_state=self.random_state)
        try:
            if splitter is None:
                raise ValueError("constant predictions: too few minority rows to tune a threshold")
            tuner.fit(X, y)
        except ValueError as error:
            if "constant predictions" not in str(error):
                raise
            self.tuner_, self.threshold_, self.validation_mcc_ = None, None, float("nan")
            self.n_folds_ = 0
            self.estimator_ = clone(self.estimator).fit(X, y)
            return self
        self.tuner_, self.estimator_ = tuner, tuner.estimator_
        self.threshold_, self.validation_mcc_ = float(tuner.best_threshold_), float(tuner.best_score_)
        return self

    def predict(self, X):
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict(X) if self.tuner_ is None else self.tuner_.predict(X)


class _TrainingFoldUnchanged(FunctionSampler):
    """A method that leaves the training fold as it is: imbalanced-learn's ``FunctionSampler`` without a
    function, exactly the ``imbalanced`` method (same input checks, same output), plus how it trains a classifier."""

    def adapt_classifier(self, classifier):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def describe(self, model) -> dict:
        return {}


class ClassWeighting(_TrainingFoldUnchanged):
    """The ``class_weight`` method: every classifier fit on the imbalanced fold with balanced sample weights."""

    def adapt_classifier(self, classifier) -> BalancedWeightClassifier:
        return BalancedWeightClassifier(classifier)

    def describe(self, model) -> dict:
        return {"sample_weighting": "balanced"}


class ThresholdTuning(_TrainingFoldUnchanged):
    """The ``threshold`` method: every classifier's decision threshold tuned for MCC on the training fold.

    Parameters
    ----------
    validation_size : float in (0, 1), default=0.25
        With ``cv=None``: the share of the training fold held out (stratified) to choose the threshold.
    cv : int >= 2 or None, default=None
        Inner stratified folds of the training fold whose averaged MCC curve chooses the threshold
        (:class:`MCCThresholdClassifier`); ``None``: the single ``validation_size`` split.
    random_state : int or None, default=None
        Seeds the inner split or folds.
    """

    def __init__(self, validation_size=0.25, cv=None, random_state=None):
        super().__init__()  # FunctionSampler's own parameters at their defaults: no function, rows unchanged
        self.validation_size = validation_size
        self.cv = cv
        self.random_state = random_state

    def adapt_classifier(self, classifier) -> MCCThresholdClassifier:
        return MCCThresholdClassifier(classifier, validation_size=self.validation_size, cv=self.cv,
                                      random_state=self.random_state)

    def describe(self, model) -> dict:
        threshold = model.threshold_
        return {"decision_threshold": np.nan if threshold is None else threshold,
                "threshold_tuned": threshold is not None, "threshold_validation_mcc": model.validation_mcc_,
                "threshold_folds": model.n_folds_}
