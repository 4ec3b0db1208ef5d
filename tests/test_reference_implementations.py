"""Baselines that behave as their reference implementations: SWIM as its published code behaves (beside the
corrected default), MDO with smote-variants' own defaults, and the report's rows for such a variant."""

import warnings

import numpy as np
import pandas as pd
import pytest

from baselines import SWIM
from baselines.swim import _msqrt


def _two_classes(n_maj=80, n_min=6, d=5, seed=0):
    rng = np.random.RandomState(seed)
    X = np.vstack([rng.normal(2.0, 1.0, (n_maj, d)), rng.normal(3.0, 0.5, (n_min, d))])
    return X, np.r_[np.zeros(n_maj, int), np.ones(n_min, int)]


def test_swim_published_returns_the_class_unchanged_on_a_singular_majority():
    X, y = _two_classes()
    X[:, -1] = 0.0  # a constant column (USPS's border pixels after min-max scaling): rank 4 < 5 features
    sampler = SWIM(variant="published", random_state=0)
    with pytest.warns(UserWarning, match="generated no rows for class 1 .*rank 4 < 5.*stays at 6 rows"):
        X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)
    assert sampler.published_path_ == {1: "rank_deficient"} and sampler.seed_indices_.size == 0
    # the corrected SWIM generates on the covariance's range and keeps the constant column
    X_cor, _ = SWIM(random_state=0).fit_resample(X, y)
    assert len(X_cor) == 160 and np.all(X_cor[len(X):, -1] == 0.0)


def test_swim_published_preserves_distances_about_the_origin_not_the_majority_mean():
    X, y = _two_classes()
    sampler = SWIM(variant="published", random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    assert sampler.published_path_ == {1: "whitened"}
    synthetic, seeds = X_res[len(X):], X[sampler.seed_indices_]
    majority = X[y == 0]
    M = np.real(_msqrt(np.linalg.inv(np.cov(majority.T))))
    # pre-fix reference (before e7f4101): ||M x|| is kept, x not centred on the majority mean
    np.testing.assert_allclose(np.linalg.norm(synthetic @ M.T, axis=1), np.linalg.norm(seeds @ M.T, axis=1))
    centred = lambda A: np.linalg.norm((A - majority.mean(0)) @ M.T, axis=1)  # noqa: E731
    assert not np.allclose(centred(synthetic), centred(seeds), rtol=1e-3)
    # the corrected variant keeps the centred (Mahalanobis) distance instead
    corrected = SWIM(random_state=0)
    X_cor, _ = corrected.fit_resample(X, y)
    np.testing.assert_allclose(centred(X_cor[len(X):]), centred(X[corrected.seed_indices_]))


def test_swim_variant_is_validated_and_corrected_by_default():
    assert SWIM().variant == "corrected"
    X, y = _two_classes()
    with pytest.raises(ValueError, match="variant"):
        SWIM(variant="2020").fit_resample(X, y)


def test_report_shows_swim_published_in_its_own_block_against_the_papers_swim():
    from glgan.report.tables import render_markdown, table_frame

    rows = [{"dataset": "usps", "ratio": 0.01, "classifier": c, "metric": m, "method": meth, "mean": v,
             "std": 0.0, "n_seeds": 2}
            for c in ("mlp", "linear_svc", "adaboost") for m in ("macro_f1", "micro_f1", "mcc")
            for meth, v in (("swim", 0.9), ("swim_published", 0.6), ("imbalanced", 0.6))]
    summary = pd.DataFrame(rows)
    paper = pd.DataFrame([{"dataset": "usps", "classifier": "mlp", "metric": "mcc", "method": "swim", "value": 0.47}])
    main = table_frame(summary, paper, "usps")
    assert "swim_published" not in set(main["method"])  # the paper's eight columns stay the paper's
    variants = table_frame(summary, paper, "usps", methods=("swim", "swim_published"))
    row = variants[(variants.method == "swim_published") & (variants.classifier == "mlp") & (variants.metric == "mcc")]
    assert row["paper"].item() == 0.47 and row["diff"].item() == pytest.approx(0.13)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = render_markdown(main, ["# Table 2"], None, variants)
    assert "## Variants at r = 0.01" in text and "SWIM (published code)" in text
    assert "paper 0.4700, Δ +0.1300" in text


def test_mdo_keeps_the_2020_library_defaults():
    """MDO runs with smote-variants' own defaults (K2 = 5, K1_frac = 0.5), the settings of its 2020 releases.

    This pins the defaults only; it does not check that they are the best MDO setting.
    """
    import smote_variants as sv

    from baselines import MDO

    params = MDO().get_params()
    assert (params["K2"], params["K1_frac"]) == (5, 0.5)
    library = sv.MDO().get_params()
    assert (library["K2"], library["K1_frac"]) == (params["K2"], params["K1_frac"])
