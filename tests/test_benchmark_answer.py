"""The benchmark report's answer section, Bayesian comparison and "no rows" marks, on synthetic fold records."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from glgan.keel_benchmark.plan import BenchmarkPlan
from glgan.experiment.store import FoldKey, ResultStore
from glgan.keel_benchmark import bayes

CLASSIFIERS = ("mlp", "linear_svc", "adaboost", "lightgbm")
# method -> (MCC offset, ROC AUC offset): class weights far ahead on MCC, level with SMOTE on AUC
QUALITY = {"imbalanced": (0.0, 0.0), "smote": (0.1, 0.2), "nras": (0.05, 0.1), "glgan": (0.1, 0.2),
           "class_weight": (0.3, 0.2), "threshold": (0.3, 0.0)}


def test_signed_rank_on_a_small_fixture():
    base = np.array([0.40, 0.55, 0.61, 0.72, 0.35, 0.80, 0.50, 0.66])
    better = bayes.signed_rank(base + 0.05, base)
    assert better[0] > 0.95 and sum(better) == pytest.approx(1)
    assert bayes.signed_rank(base, base + 0.002) == (0.0, 1.0, 0.0)  # within the ROPE of 0.01
    mixed = bayes.signed_rank(base + [0.05, -0.05] * 4, base)
    assert max(mixed) < 0.95 and bayes.verdict(*mixed, "a", "b") == "undecided"
    assert bayes.signed_rank(base + 0.05, base) == better  # fixed seed: reproducible
    assert bayes.verdict(*better, "a", "b") == "a better" and bayes.verdict(0.01, 0.02, 0.97, "a", "b") == "b better"
    with pytest.raises(ValueError, match="equally long"):
        bayes.signed_rank(base, base[:3])
    table = pd.DataFrame({"a": base + 0.05, "b": base})
    row = bayes.compare(table, "mlp", "x", "a", "b")
    assert row["n_sets"] == 8 and row["mean_diff"] == pytest.approx(0.05) and row["p_left"] == better[0]
    assert np.isnan(bayes.compare(table, "mlp", "x", "a", "missing")["p_left"])


def store_with_new_methods(root, sets, methods, classifiers=CLASSIFIERS, ranking=True):
    rng = np.random.default_rng(2)
    store = ResultStore(root)
    for s, name in enumerate(sets):
        for method in methods:
            for fold in range(5):
                empty = method == "nras" and s == 0 and fold < 3  # NRAS adds no rows on 3 of set0's folds
                records = []
                for classifier in classifiers:
                    mcc = 0.2 + QUALITY[method][0] + 0.02 * s + rng.normal(scale=0.005)
                    auc = 0.6 + QUALITY[method][1] + 0.01 * s + rng.normal(scale=0.005)
                    records.append({"dataset": name, "method": method, "repeat": 0, "fold": fold, "n_folds": 5,
                                    "classifier": classifier, "mcc": mcc, "macro_f1": mcc, "gmean": mcc,
                                    "balanced_accuracy": mcc, "sampler_seconds": 2.0 if method == "glgan" else 0.01,
                                    "classifier_seconds": 0.1, "git_commit": "abc",
                                    "n_synthetic": 0 if empty or method in ("imbalanced", "class_weight", "threshold")
                                    else 10, "finished_at": "2026-01-01T00:00:00+00:00",
                                    **({"roc_auc": auc, "average_precision": auc - 0.2} if ranking else {})})
                store.write(FoldKey(name, method, 5, 0, fold, "h"), records)


def make_report(tmp_path, methods, classifiers=CLASSIFIERS, ranking=True, plan_methods=None):
    from glgan.keel_benchmark.report import make_benchmark_report

    sets = [f"set{i}" for i in range(8)]
    store_with_new_methods(tmp_path / "runs", sets, methods, classifiers, ranking)
    plan = BenchmarkPlan("benchmark-test", None, tuple(sets), tuple(plan_methods or methods), "glgan", 5, 1, CLASSIFIERS)
    return make_benchmark_report(plan, tmp_path / "runs", tmp_path / "out").read_text()


def test_report_answers_the_practitioners_question(tmp_path):
    readme = make_report(tmp_path, list(QUALITY))
    answer = readme.split("## Protocol")[0]
    assert "## The practitioner's question" in answer and "not run yet" not in answer
    assert ("* **LightGBM**: MCC vs class weights: no (SMOTE" in answer
            or "* **LightGBM**: MCC vs class weights: no (GL-GAN" in answer)
    assert "baseline better" in answer  # class weights are 0.2 MCC ahead of every oversampler
    assert "ROC AUC vs tuned threshold: **yes**" in answer  # the threshold's AUC is the imbalanced one
    assert "| LightGBM | 0/0/8 |" not in answer and "Sampler time per fit: GL-GAN 2.00 s, SMOTE 0.010 s" in answer
    assert (tmp_path / "out" / "figures" / "answer_mean_rank.png").is_file()
    assert "(no rows on 3/5 folds)" in readme and "NRAS (no rows on 3/40 folds)" in readme
    assert "class weights (no rows" not in readme  # methods that never add rows are not marked
    bayes_table = pd.read_csv(tmp_path / "out" / "tables" / "bayes_signed_rank.csv")
    assert len(bayes_table) == 4 * 4 and set(bayes_table["comparison"]) == {"SMOTE", "best peer", "class weights",
                                                                            "tuned threshold"}
    vs_weights = bayes_table[bayes_table["right"] == "class_weight"]
    assert (vs_weights["p_right"] > 0.95).all()
    assert "ROPE = 0.01 MCC" in readme and "ROC AUC, LightGBM" in readme


def test_report_without_the_new_methods_classifier_or_metrics(tmp_path):
    old = ["imbalanced", "smote", "nras", "glgan"]
    readme = make_report(tmp_path, old, classifiers=CLASSIFIERS[:3], ranking=False, plan_methods=[*old, "class_weight",
                                                                                                  "threshold"])
    answer = readme.split("## Protocol")[0]
    assert "*Not run yet:* class weights, tuned threshold, LightGBM." in answer
    assert "* **MLPClassifier**: not run yet" in answer and "Where GL-GAN stands" in answer
    assert "**Partial: not run yet** (in the plan, no records): class_weight, threshold, lightgbm." in readme
    assert "| Imbalanced | – | – | – |" in readme  # no ROC AUC in these records
