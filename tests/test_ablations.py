"""GL-GAN's ablations: AutoOnly (§4.3) and PlainAE (§5.1's traditional autoencoder)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.preprocessing import minmax_scale

import glgan.latent_sampler as latent_sampler_module
from baselines import AutoOnly, PlainAE
from glgan import GLGAN

TINY = dict(latent_dim=2, hidden_dims=(8,), ae_epochs=2, ae_min_steps=0, batch_size=256, device="cpu")


def overlapping_data(n=220, seed=0):
    X, y = make_classification(n_samples=n, n_features=10, n_informative=4, n_redundant=2, class_sep=0.8,
                               weights=[0.9], flip_y=0, random_state=seed)
    return minmax_scale(X), y


@pytest.fixture
def captured(monkeypatch):
    """Record every call of the shared 'pretrain -> encode -> latent SMOTE' step and its result."""
    calls = []

    def spy(*args, **kwargs):
        result = original(*args, **kwargs)
        calls.append((args[3], result))  # the AutoencoderSettings
        return result

    original = latent_sampler_module.pretrain_and_interpolate
    monkeypatch.setattr(latent_sampler_module, "pretrain_and_interpolate", spy)
    return calls


def separation(latent, minority_mask) -> float:
    """Distance between the class means of the codes over their pooled within-class RMS spread."""
    Z, m = latent.Z_org.numpy(), minority_mask
    spread = np.sqrt(np.mean([((Z[c] - Z[c].mean(0)) ** 2).sum(1).mean() for c in (m, ~m)]))
    return float(np.linalg.norm(Z[m].mean(0) - Z[~m].mean(0)) / spread)


@pytest.mark.parametrize("Sampler", [AutoOnly, PlainAE])
def test_counts_originals_dtype_and_determinism(Sampler):
    X, y = overlapping_data()
    X = X.astype(np.float32)
    first, y_res = Sampler(random_state=1, **TINY).fit_resample(X, y)
    second, _ = Sampler(random_state=1, **TINY).fit_resample(X, y)
    n_maj = int((y == 0).sum())
    assert np.bincount(y_res).tolist() == [n_maj, n_maj] and first.dtype == np.float32
    np.testing.assert_array_equal(first[: len(X)], X)
    np.testing.assert_array_equal(first, second)
    assert clone(Sampler(**TINY)).get_params() == Sampler(**TINY).get_params()


def test_all_three_samplers_share_the_autoencoder_step(captured):
    X, y = overlapping_data()
    for Sampler in (GLGAN, AutoOnly, PlainAE):
        Sampler(random_state=0, **TINY).fit_resample(X, y)
    assert len(captured) == 3
    weights = [settings.clustering_weight for settings, _ in captured]
    assert weights == [1.0, 1.0, 0.0]  # PlainAE drops Eq. 3.2 from Eq. 3.3


def test_ablations_decode_the_latent_smote_codes_with_q(captured):
    X, y = overlapping_data()
    X_res, _ = AutoOnly(random_state=0, **TINY).fit_resample(X, y)
    (_, latent), = captured
    with torch.no_grad():
        decoded = latent.autoencoder.decoder(latent.Z_syn).numpy()
    np.testing.assert_array_equal(X_res[len(X) :], decoded.astype(X.dtype))


def test_defaults_match_glgans_autoencoder_part():
    def defaults(cls):
        return {k: p.default for k, p in inspect.signature(cls).parameters.items()}

    glgan, auto_only, plain = defaults(GLGAN), defaults(AutoOnly), defaults(PlainAE)
    assert auto_only.items() <= glgan.items()
    assert plain.items() <= auto_only.items()
    assert set(auto_only) - set(plain) == {
        "clustering_weight", "minority_scatter_weight", "separation_weight", "scale_invariant_clustering",
        "separation_margin",
    }


@pytest.mark.parametrize("variant", ["paper", "balanced"])
def test_clustering_loss_separates_the_latent_clusters_more_than_a_plain_autoencoder(captured, variant):
    X, y = overlapping_data()
    settings = dict(random_state=0, latent_dim=4, hidden_dims=(16,), ae_epochs=100, batch_size=64, device="cpu",
                    variant=variant)
    AutoOnly(**settings).fit_resample(X, y)
    PlainAE(**settings).fit_resample(X, y)
    (_, clustered), (_, plain) = captured
    minority = y == 1
    if variant == "paper":  # Eq. 3.2 throughout: far apart (and the minority collapsed)
        assert separation(clustered, minority) > 3 * separation(plain, minority)
    else:  # Eq. 3.2 only while the classes are closer than the margin (0.5 pooled spreads): no collapse
        assert separation(clustered, minority) > 0.45

        def minority_spread(latent):
            Z = latent.Z_org.numpy()[minority]
            return np.sqrt(((Z - Z.mean(0)) ** 2).sum(1).mean() / ((latent.Z_org.numpy() - Z.mean(0)) ** 2).sum(1).mean())

        assert minority_spread(clustered) > 0.5 * minority_spread(plain)


def test_multiclass_input_is_balanced():
    X, y = make_classification(n_samples=300, n_classes=3, n_informative=4, weights=[0.6, 0.3, 0.1], random_state=0)
    for Sampler in (AutoOnly, PlainAE):
        counts = np.bincount(Sampler(random_state=0, **TINY).fit_resample(X, y)[1])
        assert (counts == counts.max()).all()
