"""Real AdaBoost (SAMME.R), scikit-learn 0.22's ``AdaBoostClassifier(algorithm="SAMME.R")`` re-implemented.

The paper evaluates "AdaBoost with default settings" (§4.1.2). In scikit-learn 0.22 (2019/2020) the default
algorithm was SAMME.R, the real-valued boosting of Zhu, Zou, Rosset & Hastie (2009): every weak learner
contributes its class-probability estimates, not a weighted vote. SAMME.R was deprecated in scikit-learn
1.4 and removed in 1.6, so the pinned scikit-learn only has SAMME. This module restores SAMME.R as a
small scikit-learn compatible classifier.

The arithmetic follows ``sklearn/ensemble/_weight_boosting.py`` of 0.22 line by line (fit loop,
``_boost_real``, ``_samme_proba``, ``decision_function``, ``predict``, ``predict_proba``), including the
order of the random draws (one ``randint(2**31 - 1)`` per tree, taken from
``check_random_state(random_state)``), so for the same data and seed it makes the same trees. It is
checked against predictions made by scikit-learn 0.22.2.post1 and 1.5.2 themselves
(``tests/fixtures/samme_r_*.npz``, ``scripts/make_samme_r_fixture.py``).

scikit-learn >= 1.0 floors the sample weights at machine epsilon before every round (scikit-learn issue
#20320); 0.22 did not. ``clip_sample_weight=True`` reproduces the later behaviour. The two differ only
when a weight falls below 2.2e-16, i.e. when a few rows dominate all others by 16 orders of magnitude.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from scipy.special import xlogy
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.extmath import softmax
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

__all__ = ["SAMMERAdaBoostClassifier"]

_MAX_INT = np.iinfo(np.int32).max


def _samme_proba(estimator, n_classes: int, X) -> np.ndarray:
    """Zhu et al. (2009), Algorithm 4, step 2(c): ``(K - 1) (log p_k - mean_k log p_k)``."""
    proba = estimator.predict_proba(X)
    # Displace zero probabilities so that the log is defined (scikit-learn's comment and constant).
    np.clip(proba, np.finfo(proba.dtype).eps, None, out=proba)
    log_proba = np.log(proba)
    return (n_classes - 1) * (log_proba - (1.0 / n_classes) * log_proba.sum(axis=1)[:, np.newaxis])


def _set_random_states(estimator, random_state: np.random.RandomState) -> None:
    """Seed every ``*random_state`` parameter of ``estimator`` from ``random_state``, in sorted order.

    As ``sklearn.ensemble._base._set_random_states``: one ``randint(np.iinfo(np.int32).max)`` per
    parameter.
    """
    to_set = {
        key: random_state.randint(_MAX_INT)
        for key in sorted(estimator.get_params(deep=True))
        if key == "random_state" or key.endswith("__random_state")
    }
    if to_set:
        estimator.set_params(**to_set)


class SAMMERAdaBoostClassifier(ClassifierMixin, BaseEstimator):
    """AdaBoost with the SAMME.R (real) algorithm, as ``AdaBoostClassifier`` of scikit-learn 0.22.

    Parameters
    ----------
    estimator : estimator with ``predict_proba`` and ``sample_weight`` in ``fit``, default=None
        The weak learner; ``None`` is a decision stump, ``DecisionTreeClassifier(max_depth=1)``
        (0.22's ``base_estimator=None``).
    n_estimators : int, default=50
        Maximum number of boosting rounds; fewer are kept if a learner fits the weighted data perfectly.
    learning_rate : float, default=1.0
        Shrinks each round's weight update.
    random_state : int, RandomState instance or None, default=None
        Seeds one ``random_state`` per weak learner (drawn in order from this generator).
    clip_sample_weight : bool, default=False
        Floor the sample weights at machine epsilon before each round, as scikit-learn >= 1.0 does.
        ``False`` is 0.22's behaviour.

    Attributes
    ----------
    estimators_ : list of fitted weak learners
    estimator_weights_ : ndarray of shape (n_estimators,)
        1 for every round that was run (SAMME.R weighs all learners equally), 0 after an early stop.
    estimator_errors_ : ndarray of shape (n_estimators,)
        Weighted training error of each round's learner (1 for rounds not run).
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    n_features_in_ : int

    References
    ----------
    J. Zhu, H. Zou, S. Rosset, T. Hastie, "Multi-class AdaBoost", Statistics and Its Interface 2 (2009)
    349-360.
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
        "clip_sample_weight": ["boolean"],
    }

    def __init__(self, estimator=None, *, n_estimators=50, learning_rate=1.0, random_state=None,
                 clip_sample_weight=False):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.random_state = random_state
        self.clip_sample_weight = clip_sample_weight

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # decision stumps accept csr/csc
        return tags

    def _make_estimator(self, random_state):
        estimator = DecisionTreeClassifier(max_depth=1) if self.estimator is None else clone(self.estimator)
        _set_random_states(estimator, random_state)
        self.estimators_.append(estimator)
        return estimator

    def fit(self, X, y, sample_weight=None):
        self._validate_params()
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"], dtype=None)
        check_classification_targets(y)
        if np.unique(y).size < 2:
            raise ValueError("SAMMERAdaBoostClassifier needs at least two classes in y; got 1 class.")
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=np.float64, copy=True, ensure_non_negative=True
        )
        sample_weight /= sample_weight.sum()

        self.estimators_ = []
        self.estimator_weights_ = np.zeros(self.n_estimators, dtype=np.float64)
        self.estimator_errors_ = np.ones(self.n_estimators, dtype=np.float64)
        random_state = check_random_state(self.random_state)
        epsilon = np.finfo(sample_weight.dtype).eps
        zero_weight = sample_weight == 0.0

        for iboost in range(self.n_estimators):
            if self.clip_sample_weight:  # scikit-learn >= 1.0 (issue #20320)
                sample_weight = np.clip(sample_weight, a_min=epsilon, a_max=None)
                sample_weight[zero_weight] = 0.0
            sample_weight, estimator_error = self._boost_real(iboost, X, y, sample_weight, random_state)
            self.estimator_weights_[iboost] = 1.0
            self.estimator_errors_[iboost] = estimator_error
            if estimator_error == 0:  # perfect fit: stop, keeping this learner
                break
            sample_weight_sum = np.sum(sample_weight)
            if self.clip_sample_weight and not np.isfinite(sample_weight_sum):
                break  # scikit-learn >= 1.0 stops (with a warning) on overflowing weights; 0.22 did not check
            if sample_weight_sum <= 0:
                break
            if iboost < self.n_estimators - 1:
                sample_weight /= sample_weight_sum
        return self

    def _boost_real(self, iboost, X, y, sample_weight, random_state):
        """One SAMME.R round (scikit-learn 0.22 ``AdaBoostClassifier._boost_real``)."""
        estimator = self._make_estimator(random_state)
        estimator.fit(X, y, sample_weight=sample_weight)
        y_predict_proba = estimator.predict_proba(X)
        if iboost == 0:
            self.classes_ = estimator.classes_
            self.n_classes_ = len(self.classes_)
        y_predict = self.classes_.take(np.argmax(y_predict_proba, axis=1), axis=0)
        incorrect = y_predict != y
        estimator_error = np.mean(np.average(incorrect, weights=sample_weight, axis=0))
        if estimator_error <= 0:
            return sample_weight, 0.0

        # y coding of Zhu et al.: 1 for the true class, -1 / (K - 1) for the others.
        n_classes = self.n_classes_
        y_codes = np.array([-1.0 / (n_classes - 1), 1.0])
        y_coding = y_codes.take(self.classes_ == y[:, np.newaxis])
        proba = y_predict_proba
        np.clip(proba, np.finfo(proba.dtype).eps, None, out=proba)
        estimator_weight = (
            -1.0 * self.learning_rate * ((n_classes - 1.0) / n_classes) * xlogy(y_coding, proba).sum(axis=1)
        )
        if not iboost == self.n_estimators - 1:
            # Only boost positive weights.
            sample_weight *= np.exp(estimator_weight * ((sample_weight > 0) | (estimator_weight < 0)))
        return sample_weight, estimator_error

    def decision_function(self, X):
        """Sum of the learners' SAMME.R scores over the number of learners; binary: one score per row."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], dtype=None, reset=False)
        n_classes = self.n_classes_
        pred = sum(_samme_proba(estimator, n_classes, X) for estimator in self.estimators_)
        pred /= self.estimator_weights_.sum()
        if n_classes == 2:
            pred[:, 0] *= -1
            return pred.sum(axis=1)
        return pred

    def predict(self, X):
        pred = self.decision_function(X)
        if self.n_classes_ == 2:
            return self.classes_.take(pred > 0, axis=0)
        return self.classes_.take(np.argmax(pred, axis=1), axis=0)

    def predict_proba(self, X):
        """``softmax(score / (K - 1))`` (0.22's ``_compute_proba_from_decision``, Zhu et al. Eq. 4)."""
        decision = self.decision_function(X)
        if self.n_classes_ == 2:
            decision = np.vstack([-decision, decision]).T / 2
        else:
            decision /= self.n_classes_ - 1
        return softmax(decision, copy=False)

    def predict_log_proba(self, X):
        return np.log(self.predict_proba(X))
