"""class_weight and threshold (the KEEL benchmark's methods without oversampling) and the threshold-free metrics."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hydra.utils import instantiate
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import LinearSVC
from sklearn.utils.class_weight import compute_sample_weight

from glgan.experiment import cv
from glgan.experiment import no_oversampling as no
from glgan.keel_benchmark.plan import Task, compose_fold
from glgan.experiment.evaluation import evaluate_classifier, minority_scores
from glgan.experiment.pipeline import run_cell, run_fold


@pytest.fixture(scope="module")
def dataset():
    rng = np.random.default_rng(3)
    y = (np.arange(240) % 6 == 0).astype(np.int64)  # 40 minority rows
    X = rng.normal(size=(240, 5)) + 0.9 * y[:, None] * [1, 0.5, 0, 0, 0]
    return SimpleNamespace(X=X, y=y, name="toy", variant="toy", source="test")


def fold(dataset, k=1):
    return cv.make_fold(dataset.X, dataset.y, n_folds=5, repeat=0, fold=k, seed=0)


def rows(X) -> set[bytes]:
    return {row.tobytes() for row in np.asarray(X)}


class SpyLogisticRegression(LogisticRegression):
    """Records the rows every fit and score call sees, while ``SEEN["active"]`` is set."""

    SEEN = {"active": False, "fit": [], "score": []}

    def fit(self, X, y, sample_weight=None):
        if self.SEEN["active"]:
            self.SEEN["fit"].append(np.array(X))
        return super().fit(X, y, sample_weight=sample_weight)

    def predict_proba(self, X):
        if self.SEEN["active"]:
            self.SEEN["score"].append(np.array(X))
        return super().predict_proba(X)


def spy_threshold_search(monkeypatch) -> dict:
    """Record the rows :class:`SpyLogisticRegression` sees during ``MCCThresholdClassifier.fit`` only (the
    threshold search and the refit), not the final scoring of the test fold."""
    seen = SpyLogisticRegression.SEEN
    seen.update(fit=[], score=[])
    original_fit = no.MCCThresholdClassifier.fit

    def spied_fit(self, X, y):
        seen["active"] = True
        try:
            return original_fit(self, X, y)
        finally:
            seen["active"] = False

    monkeypatch.setattr(no.MCCThresholdClassifier, "fit", spied_fit)
    return seen


def test_threshold_is_chosen_without_the_test_fold(dataset, monkeypatch):
    seen = spy_threshold_search(monkeypatch)
    records = run_fold(dataset, no.ThresholdTuning(random_state=0), {"spy": SpyLogisticRegression()},
                       n_folds=5, repeat=0, fold=1, cv_seed=0, seed=0)
    part = fold(dataset)
    train, test = rows(part.X_train), rows(part.X_test)
    assert len(seen["fit"]) == 2 and seen["score"]  # the refit on the whole fold, the inner fit, its validation
    searched = [r for X in seen["fit"] + seen["score"] for r in rows(X)]
    assert not set(searched) & test and set(searched) <= train
    validation = rows(seen["score"][0])
    assert 0.2 * len(train) <= len(validation) <= 0.3 * len(train)  # the inner 25 % split
    assert not validation & rows(min(seen["fit"], key=len))  # the inner fit never sees its validation rows
    assert np.isfinite(records[0]["decision_threshold"]) and records[0]["threshold_tuned"]


def test_threshold_refits_the_imbalanced_classifier(dataset):
    part = fold(dataset)
    plain = LogisticRegression().fit(part.X_train, part.y_train)
    tuned = no.MCCThresholdClassifier(LogisticRegression(), random_state=0).fit(part.X_train, part.y_train)
    np.testing.assert_array_equal(tuned.predict_proba(part.X_test), plain.predict_proba(part.X_test))
    assert tuned.threshold_ != 0.5 and 0 <= tuned.threshold_ <= 1


def test_threshold_keeps_the_default_when_scores_are_constant(dataset):
    from sklearn.dummy import DummyClassifier

    part = fold(dataset)
    model = no.MCCThresholdClassifier(DummyClassifier(strategy="prior"), random_state=0).fit(part.X_train, part.y_train)
    assert model.threshold_ is None and np.isnan(model.validation_mcc_)
    assert (model.predict(part.X_test) == 0).all()
    with pytest.raises(ValueError, match="validation_size"):
        no.MCCThresholdClassifier(LogisticRegression(), validation_size=1.5).fit(part.X_train, part.y_train)


def test_balanced_weights_reach_each_benchmark_classifier(dataset, monkeypatch):
    cfg = compose_fold("benchmark-quick", Task("glass1", "class_weight", 0, 1))
    classifiers = {name: instantiate(node) for name, node in cfg.classifier.items()}
    assert set(classifiers) == {"mlp", "linear_svc", "adaboost", "lightgbm"}
    received = {}
    for name, classifier in classifiers.items():
        cls = type(classifier)
        original = cls.fit

        def spy(self, X, y, sample_weight=None, *args, _name=name, _original=original, **kwargs):
            received[_name] = None if sample_weight is None else np.array(sample_weight)
            return _original(self, X, y, sample_weight, *args, **kwargs)

        monkeypatch.setattr(cls, "fit", spy)
    records = run_fold(dataset, instantiate(cfg.method.sampler), classifiers, n_folds=5, repeat=0, fold=1,
                       cv_seed=0, seed=0)
    expected = compute_sample_weight("balanced", fold(dataset).y_train)
    assert set(received) == set(classifiers)
    for name, weights in received.items():
        np.testing.assert_allclose(weights, expected, err_msg=name)
    assert {r["sample_weighting"] for r in records} == {"balanced"} and all(r["n_synthetic"] == 0 for r in records)


def test_class_weight_refuses_a_classifier_without_sample_weight(dataset):
    part = fold(dataset)
    with pytest.raises(TypeError, match="KNeighborsClassifier.fit takes no sample_weight"):
        no.BalancedWeightClassifier(KNeighborsClassifier()).fit(part.X_train, part.y_train)


def test_methods_without_oversampling_are_refused_by_the_paper_protocol(dataset):
    with pytest.raises(ValueError, match="KEEL benchmark only"):
        run_cell(dataset, no.ClassWeighting(), {}, majority=0, minority=1, ratio=0.1, seed=0)


def test_auc_of_a_classifier_without_predict_proba(dataset):
    part = fold(dataset)
    model = LinearSVC(random_state=0)
    assert not hasattr(model, "predict_proba")
    result = evaluate_classifier(model, part.X_train, part.y_train, part.X_test, part.y_test, ranking=True)
    fitted = LinearSVC(random_state=0).fit(part.X_train, part.y_train)
    assert result["roc_auc"] == pytest.approx(roc_auc_score(part.y_test, fitted.decision_function(part.X_test)))
    assert 0.5 < result["roc_auc"] <= 1 and 0 < result["average_precision"] <= 1
    flipped = LinearSVC(random_state=0).fit(part.X_train, 1 - part.y_train)  # minority is classes_[0] here
    np.testing.assert_allclose(minority_scores(SimpleNamespace(classes_=np.array([1, 0]),
                                                               decision_function=flipped.decision_function),
                                               part.X_test), -flipped.decision_function(part.X_test))
    with pytest.raises(TypeError, match="cannot be ranked"):
        minority_scores(SimpleNamespace(classes_=np.array([0, 1])), part.X_test)


def test_lightgbm_runs_at_library_defaults_in_the_benchmark_only():
    from lightgbm import LGBMClassifier

    from glgan.keel_benchmark.plan import load_benchmark_plan

    cfg = compose_fold("benchmark", Task("glass0", "smote", 0, 0))
    ours = instantiate(cfg.classifier.lightgbm).get_params()
    defaults = LGBMClassifier().get_params()
    changed = {k: v for k, v in ours.items() if k not in defaults or v != defaults[k]}
    assert changed == {"n_jobs": 1, "deterministic": True, "force_row_wise": True, "verbose": -1,
                       "random_state": cv.fold_seed(0, 0, 0)}  # how it runs, not what it learns
    for experiment in ("benchmark", "benchmark-dev", "benchmark-quick"):
        assert load_benchmark_plan(experiment).classifiers == ("mlp", "linear_svc", "adaboost", "lightgbm")
        assert {"class_weight", "threshold"} <= set(load_benchmark_plan(experiment).methods)


def test_inner_cv_threshold_never_sees_the_test_fold(dataset, monkeypatch):
    """With ``cv=5`` every inner fit sees four fifths of the training fold, every training row is validated
    exactly once, the refit sees the whole training fold, and no row of the test fold reaches any of them."""
    seen = spy_threshold_search(monkeypatch)
    records = run_fold(dataset, no.ThresholdTuning(cv=5, random_state=0), {"spy": SpyLogisticRegression()},
                       n_folds=5, repeat=0, fold=1, cv_seed=0, seed=0)
    part = fold(dataset)
    train, test = rows(part.X_train), rows(part.X_test)
    assert len(seen["fit"]) == 6 and len(seen["score"]) >= 5  # the refit on the whole fold, then five inner fits
    refit, inner = seen["fit"][0], seen["fit"][1:]
    validations = seen["score"][:5]
    assert rows(refit) == train
    for fitted, validated in zip(inner, validations):
        assert not rows(fitted) & rows(validated) and rows(fitted) | rows(validated) == train
    assert sum(len(v) for v in validations) == len(part.y_train)
    searched = [r for X in seen["fit"] + seen["score"][:5] for r in rows(X)]
    assert not set(searched) & test
    assert records[0]["threshold_folds"] == 5 and records[0]["threshold_tuned"]


def test_inner_cv_uses_fewer_folds_for_a_tiny_minority_and_none_below_two_rows(dataset):
    part = fold(dataset)
    keep = np.flatnonzero(part.y_train == 0).tolist() + np.flatnonzero(part.y_train == 1)[:3].tolist()
    model = no.MCCThresholdClassifier(LogisticRegression(), cv=5, random_state=0).fit(part.X_train[keep],
                                                                                      part.y_train[keep])
    assert model.n_folds_ == 3 and model.threshold_ is not None
    keep = np.flatnonzero(part.y_train == 0).tolist() + np.flatnonzero(part.y_train == 1)[:1].tolist()
    model = no.MCCThresholdClassifier(LogisticRegression(), cv=5, random_state=0).fit(part.X_train[keep],
                                                                                      part.y_train[keep])
    assert model.n_folds_ == 0 and model.threshold_ is None
    for bad in (1, 2.5, True):
        with pytest.raises(ValueError, match="cv must be"):
            no.MCCThresholdClassifier(LogisticRegression(), cv=bad).fit(part.X_train, part.y_train)


def test_inner_cv_threshold_maximises_the_fold_averaged_mcc(dataset):
    """The chosen threshold is the best of the candidates on the MCC averaged over the inner folds, each fold's
    curve computed here from its own fit (linear interpolation onto the common grid, as scikit-learn does)."""
    from sklearn.metrics import matthews_corrcoef
    from sklearn.model_selection import StratifiedKFold

    part = fold(dataset)
    X, y = part.X_train, part.y_train
    model = no.MCCThresholdClassifier(LogisticRegression(), cv=5, random_state=0).fit(X, y)
    grid = None
    curves = []
    for train, valid in StratifiedKFold(5, shuffle=True, random_state=0).split(X, y):
        scores = LogisticRegression().fit(X[train], y[train]).predict_proba(X[valid])[:, 1]
        curves.append((scores, y[valid]))
    low, high = min(s.min() for s, _ in curves), max(s.max() for s, _ in curves)
    grid = np.linspace(low, high, 100)
    mean = np.mean([[matthews_corrcoef(t, (s >= g).astype(int)) for g in grid] for s, t in curves], axis=0)
    best = mean.max()
    assert model.validation_mcc_ == pytest.approx(best, abs=0.03)
    assert mean[np.argmin(np.abs(grid - model.threshold_))] >= best - 0.03
