"""Sample-quality diagnostics, GL-GAN's fitted models (``sample``, latent codes), the collapse warning,
the thread setting and the variants."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from sklearn.datasets import make_classification
from sklearn.preprocessing import minmax_scale

from baselines import SMOTE, AutoOnly, PlainAE
from glgan import GLGAN
from glgan.diagnostics import (
    neighbour_shares,
    prdc_scores,
    reconstruction_errors,
    sample_quality,
    spread_ratio,
    synthetic_rows,
)

SMALL = dict(latent_dim=3, hidden_dims=(16,), ae_epochs=5, ae_min_steps=0, gan_epochs=2, batch_size=64, device="cpu")


def two_blobs(n_maj=200, n_min=20, seed=0):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(0.0, 1.0, (n_maj, 2)), rng.normal(6.0, 1.0, (n_min, 2))])
    return X, np.r_[np.zeros(n_maj, int), np.ones(n_min, int)]


def test_spread_ratio_is_one_for_the_same_rows_and_scales_linearly():
    X, y = two_blobs()
    real = X[y == 1]
    assert spread_ratio(real, real) == pytest.approx(1.0)
    centre = real.mean(axis=0)
    assert spread_ratio(centre + 0.1 * (real - centre), real) == pytest.approx(0.1)
    assert np.isnan(spread_ratio(real, real[:1]))


def test_neighbour_shares_tell_a_minority_copy_from_rows_in_the_majority():
    X, y = two_blobs()
    X_hold, _ = two_blobs(seed=1)
    hold = X_hold[200:]
    good = neighbour_shares(X[y == 1] + 0.01, X, y, hold)
    bad = neighbour_shares(X[y == 0][:20] + 0.01, X, y, hold)
    assert good["near_majority"] == 0.0 and good["cover"] > 0.9
    assert bad["near_majority"] == 1.0 and bad["cover"] == 0.0
    assert bad["syn_to_majority"] < bad["syn_to_minority"]


def test_prdc_is_high_for_the_same_distribution_and_nan_without_enough_rows():
    X, y = two_blobs(n_min=200)
    real, fake = X[y == 1][:100], X[y == 1][100:]
    scores = prdc_scores(real, fake)
    assert scores["precision"] > 0.7 and scores["recall"] > 0.7 and scores["coverage"] > 0.7
    far = prdc_scores(real, fake + 50.0)
    assert far["precision"] == 0.0 and far["coverage"] == 0.0
    assert np.isnan(prdc_scores(real[:2], fake)["precision"])


def test_synthetic_rows_and_sample_quality_for_smote():
    X, y = two_blobs()
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    rows = synthetic_rows(X, X_res, y_res, 1)
    assert len(rows) == 180
    quality = sample_quality(X, y, rows, two_blobs(seed=1)[0][200:])
    assert 0.3 < quality["spread_ratio"] < 1.2 and quality["near_majority"] == 0.0
    with pytest.raises(ValueError, match="does not start with the original rows"):
        synthetic_rows(X, X_res[::-1], y_res, 1)


def test_fitted_glgan_keeps_its_models_and_samples_new_rows():
    X, y = two_blobs()
    X = minmax_scale(X)
    sampler = GLGAN(random_state=0, **SMALL)
    X_res, y_res = sampler.fit_resample(X, y)
    assert set(sampler.models_) == {1} and set(sampler.spread_ratio_) == {1}
    new = sampler.sample(50)
    assert new.shape == (50, 2) and np.isfinite(new).all()
    np.testing.assert_array_equal(new, sampler.sample(50))  # same random_state -> same rows
    assert not np.array_equal(new, sampler.sample(50, random_state=1))
    errors = reconstruction_errors(sampler, X, y)
    assert set(errors) == {"minority", "majority"} and all(v >= 0 for v in errors.values())
    with pytest.raises(ValueError, match="positive integer"):
        sampler.sample(0)
    with pytest.raises(ValueError, match="was not grown"):
        sampler.sample(5, label=0)
    with pytest.raises(Exception, match="not fitted"):
        GLGAN().sample(5)


def test_a_collapsed_minority_warns_and_a_spread_one_does_not():
    X, y = two_blobs()
    real = X[y == 1]
    sampler = GLGAN()
    sampler.spread_ratio_ = {}
    with pytest.warns(UserWarning, match="collapsed"):
        sampler._warn_if_collapsed(1, real.mean(0) + 0.1 * (real - real.mean(0)), real)
    assert sampler.spread_ratio_[1] == pytest.approx(0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sampler._warn_if_collapsed(1, real + 0.01, real)


def test_the_collapse_warning_names_the_class_plainly():
    sampler = GLGAN()
    sampler.spread_ratio_ = {}
    with pytest.warns(UserWarning, match=r"synthetic rows of class 1 spread only"):
        sampler._warn_if_collapsed(np.int64(1), np.zeros((5, 2)), np.eye(5, 2))


@pytest.mark.parametrize("name", ["GLGAN", "AutoOnly", "PlainAE", "BAGAN", "CGAN"])
def test_thread_setting_applies_during_the_fit_only(name, monkeypatch):
    import baselines

    X, y = two_blobs()
    seen = []
    original = torch.set_num_threads
    monkeypatch.setattr(torch, "set_num_threads", lambda n: (seen.append(n), original(n)))
    before = torch.get_num_threads()
    if name in ("BAGAN", "CGAN"):
        sampler = getattr(baselines, name)(random_state=0, epochs=2, batch_size=64, device="cpu", n_threads=1)
    else:
        cls = GLGAN if name == "GLGAN" else getattr(baselines, name)
        sampler = cls(random_state=0, n_threads=1, **{k: v for k, v in SMALL.items()
                                                     if k != "gan_epochs" or name == "GLGAN"})
    sampler.fit_resample(minmax_scale(X), y)
    assert seen == [1, before] and torch.get_num_threads() == before


def test_the_paper_variant_differs_from_the_balanced_one_only_where_it_says():
    X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    X = minmax_scale(X)
    paper = GLGAN(random_state=0, variant="paper", **SMALL)
    explicit = GLGAN(random_state=0, variant="balanced", balanced_reconstruction=False,
                     separation_margin=float("inf"), balanced_real_terms=False,
                     adversarial_weight=1.0, classifier_weight=1.0, **SMALL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        a, _ = paper.fit_resample(X, y)
        b, _ = explicit.fit_resample(X, y)
        c, _ = GLGAN(random_state=0, **SMALL).fit_resample(X, y)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_spread_ratio_in_chunks_matches_the_whole_array():
    from glgan.diagnostics import spread_ratio

    rng = np.random.default_rng(0)
    synthetic, real = rng.random((1000, 7), dtype=np.float32), rng.random((30, 7))
    whole = spread_ratio(synthetic, real)
    for chunk in (1, 64, 999, 5000):
        assert spread_ratio(synthetic, real, chunk_rows=chunk) == pytest.approx(whole, rel=1e-12)
    assert np.isnan(spread_ratio(synthetic, real[:1], chunk_rows=64))
