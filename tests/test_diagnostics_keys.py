"""Every key of sample_quality is documented, and the recall-beside-coverage puzzle is what the
docstring says it is (the definition with unequal sample sizes, not a bug)."""

from __future__ import annotations

import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

from baselines import SMOTE
from glgan.diagnostics import prdc_scores, sample_quality, synthetic_rows


def _smote_on_make_classification():
    X, y = make_classification(n_samples=1000, weights=[0.95], random_state=0)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, random_state=0)
    X_res, y_res = SMOTE(random_state=0).fit_resample(X_tr, y_tr)
    return X_tr, y_tr, synthetic_rows(X_tr, X_res, y_res, 1), X_te[y_te == 1]


def test_every_key_is_documented_with_its_range():
    X_tr, y_tr, synthetic, holdout = _smote_on_make_classification()
    doc = sample_quality.__doc__
    for key in sample_quality(X_tr, y_tr, synthetic, holdout):
        assert f"``{key}``" in doc, key
    assert "Naeem" in doc and "higher is better" in doc and "lower is better" in doc


def test_recall_is_zero_only_because_synthetic_rows_outnumber_the_real_ones():
    X_tr, y_tr, synthetic, holdout = _smote_on_make_classification()
    quality = sample_quality(X_tr, y_tr, synthetic, holdout)
    assert (len(synthetic), len(holdout)) == (668, 13)  # the numbers the docstring quotes
    assert quality["recall"] == 0.0 and quality["coverage"] == 1.0
    subset = synthetic[np.random.default_rng(0).choice(len(synthetic), len(holdout), replace=False)]
    assert prdc_scores(holdout, subset)["recall"] == 1.0  # equal sizes: the same rows recall every real one
    # recall as Naeem et al. define it: real rows inside some synthetic row's k-NN ball, radii among the synthetic
    from sklearn.metrics import pairwise_distances

    radii = np.sort(pairwise_distances(synthetic), axis=1)[:, 5]
    inside = (pairwise_distances(holdout, synthetic) < radii[None, :]).any(axis=1)
    assert inside.mean() == quality["recall"]
