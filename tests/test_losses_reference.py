"""GL-GAN's loss helpers and Eq. 3.6/3.7 as training assembles them, against values worked out by hand or by a
few independent lines of numpy (Wang et al., SDM 2020, §3).

* :func:`class_balanced_mean`: each class weighs one half, whatever its size; an empty class drops out.
* :func:`fisher_separation`: distance of the class means over the pooled within-class RMS, the two classes'
  scatters averaged with equal weight (not by row count).
* the separation margin: Eq. 3.2 is switched off (a detached 0) while the classes are at least ``margin`` apart
  in those units, on when they are closer, and ignored for a class of one row; ``train_autoencoder``'s
  ``separation_margin`` is that margin.
* Eq. 3.7 as assembled: the loss of G's step in one adversarial round is
  ``L_rec(G(Z_org), X_org) + Λ1 L_(G,D) + Λ2 L_(G,C)`` with ``Λ1 = adversarial_weight`` and
  ``Λ2 = classifier_weight``, each term averaged over its own set (|X_org| or |Z|).
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import torch

from glgan.adversarial import train_adversarial
from glgan.autoencoder import Autoencoder, train_autoencoder
from glgan.losses import (
    autoencoder_loss,
    class_balanced_mean,
    clustering_loss,
    fisher_separation,
    generator_loss,
    real_term,
    row_sq_norm,
)
from tests.helpers import tiny_adversarial_problem


def t(values, dtype=torch.float64):
    return torch.tensor(values, dtype=dtype)


# --- class_balanced_mean ----------------------------------------------------------------------------------


def test_class_balanced_mean_weighs_each_class_one_half():
    majority = t([1.0, 2.0, 3.0], torch.float32).requires_grad_()  # mean 2
    minority = t([10.0], torch.float32).requires_grad_()  # mean 10
    value = class_balanced_mean(majority, minority)
    assert value.item() == pytest.approx(0.5 * 2 + 0.5 * 10)  # 6, where the plain mean of the four is 4
    value.backward()
    # d/d(maj_i) = 1/2 * 1/3, d/d(min) = 1/2 * 1/1
    np.testing.assert_allclose(majority.grad.numpy(), [1 / 6, 1 / 6, 1 / 6], rtol=1e-6)
    np.testing.assert_allclose(minority.grad.numpy(), [0.5], rtol=1e-6)


def test_class_balanced_mean_drops_an_empty_class():
    assert class_balanced_mean(torch.zeros(0), t([4.0, 6.0])).item() == pytest.approx(5.0)
    assert class_balanced_mean(t([1.0, 2.0, 6.0]), torch.zeros(0)).item() == pytest.approx(3.0)


def test_a_batch_of_one_class_gives_the_other_class_term_alone():
    # a minibatch may hold minority rows only (the last, short batch of an epoch)
    assert row_sq_norm(torch.zeros(0, 3)).shape == (0,)
    assert row_sq_norm(t([[1.0, 2.0], [0.0, 3.0]])).tolist() == [5.0, 9.0]
    assert row_sq_norm(t([2.0, -3.0])).tolist() == [4.0, 9.0]  # D's one output per row
    assert real_term(t([[1.0, 2.0], [0.0, 3.0]]), class_sizes=(0, 2)).item() == pytest.approx(7.0)
    assert real_term(t([2.0, -3.0]), class_sizes=(0, 2)).item() == pytest.approx(6.5)


def test_glgan_trains_when_every_minibatch_holds_one_class():
    from sklearn.datasets import make_classification

    from glgan import GLGAN

    X, y = make_classification(n_samples=60, weights=[0.8], random_state=0)
    sampler = GLGAN(batch_size=1, ae_epochs=1, gan_epochs=1, ae_min_steps=5, random_state=0)
    with pytest.warns(UserWarning, match="collapsed"):  # one epoch of single rows: a crude fit, but a fit
        X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [np.bincount(y)[0]] * 2


# --- fisher_separation ------------------------------------------------------------------------------------

# Means (1, 0) and (0, 5); within-class mean squared distances 1 and 1; sigma^2 = (1 + 1) / 2 = 1;
# |mean difference| = sqrt(1 + 25) = sqrt(26).
Z_MAJ, Z_MIN = [[0.0, 0.0], [2.0, 0.0]], [[0.0, 4.0], [0.0, 6.0]]
SEPARATION = math.sqrt(26.0)


def test_fisher_separation_on_hand_worked_codes():
    assert fisher_separation(t(Z_MAJ), t(Z_MIN)).item() == pytest.approx(SEPARATION, rel=1e-9)
    # Unequal sizes: majority {0, 2, 4} (mean 2, scatter 8/3), minority {10, 12} (mean 11, scatter 1).
    # Equal class weights: sigma^2 = (8/3 + 1) / 2 = 11/6 (pooled by rows it would be 10/5 = 2).
    value = fisher_separation(t([[0.0], [2.0], [4.0]]), t([[10.0], [12.0]])).item()
    assert value == pytest.approx(9.0 / math.sqrt(11.0 / 6.0), rel=1e-9)


def test_fisher_separation_matches_numpy_and_ignores_scale_and_shift():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(7, 3)), rng.normal(size=(4, 3)) + [1.0, -2.0, 0.5]
    scatter = 0.5 * (((a - a.mean(0)) ** 2).sum(1).mean() + ((b - b.mean(0)) ** 2).sum(1).mean())
    expected = np.linalg.norm(a.mean(0) - b.mean(0)) / np.sqrt(scatter)
    assert fisher_separation(t(a), t(b)).item() == pytest.approx(expected, rel=1e-9)
    shift = np.array([5.0, -3.0, 100.0])
    assert fisher_separation(t(40 * a + shift), t(40 * b + shift)).item() == pytest.approx(expected, rel=1e-9)


# --- the separation margin (Eq. 3.2 switched off once the classes are apart) ------------------------------


def test_margin_switches_eq_3_2_off_at_or_above_the_separation_and_keeps_it_below():
    # Eq. 3.2 on the codes by hand: scatters 1 + 2 * 1, separation 0.5 * 26 -> 1 + 2 - 13 = -10.
    on_value = 1.0 + 2.0 * 1.0 - 0.5 * 26.0
    z_maj, z_min = t(Z_MAJ).requires_grad_(), t(Z_MIN).requires_grad_()
    below = clustering_loss(z_maj, z_min, minority_weight=2.0, separation_weight=0.5, margin=SEPARATION + 0.01)
    assert below.item() == pytest.approx(on_value)
    below.backward()
    assert z_maj.grad.abs().sum() > 0  # the term trains the encoder
    for margin in (SEPARATION - 0.01, 0.0):  # the classes are at least this far apart: no loss, no gradient
        off = clustering_loss(t(Z_MAJ).requires_grad_(), t(Z_MIN).requires_grad_(), minority_weight=2.0,
                              separation_weight=0.5, margin=margin)
        assert off.item() == 0.0 and not off.requires_grad
    # The margin is measured in fisher_separation units, which the raw codes' scale does not change.
    scaled = clustering_loss(t(Z_MAJ) * 1e3, t(Z_MIN) * 1e3, margin=SEPARATION - 0.01)
    assert scaled.item() == 0.0


def test_margin_is_ignored_for_a_class_of_one_row():
    # One minority code (0, 4): its scatter is 0 and the means are (1, 0), (0, 4): 1 + 0 - (1 + 16) = -16.
    value = clustering_loss(t(Z_MAJ), t([[0.0, 4.0]]), margin=0.0)
    assert value.item() == pytest.approx(-16.0)


def test_autoencoder_loss_passes_the_margin_to_eq_3_2():
    x_hat, x = t([[1.0, 2.0], [0.0, 0.0]]), t([[0.0, 0.0], [0.0, 1.0]])  # L_rec = (5 + 1) / 2 = 3
    kwargs = dict(clustering_weight=0.1, minority_weight=2.0, separation_weight=0.5)
    assert autoencoder_loss(x_hat, x, t(Z_MAJ), t(Z_MIN), margin=SEPARATION + 0.01, **kwargs).item() == \
        pytest.approx(3.0 + 0.1 * -10.0)
    assert autoencoder_loss(x_hat, x, t(Z_MAJ), t(Z_MIN), margin=SEPARATION - 0.01, **kwargs).item() == \
        pytest.approx(3.0)


def _trained_autoencoder(**settings):
    rng = np.random.default_rng(1)
    X = torch.from_numpy(np.vstack([rng.normal(0.0, 1.0, (24, 4)), rng.normal(1.5, 1.0, (6, 4))]))
    minority = torch.from_numpy(np.r_[np.zeros(24, bool), np.ones(6, bool)])
    torch.manual_seed(0)
    ae = Autoencoder(4, (6,), 2).double()
    train_autoencoder(ae, X, epochs=4, batch_size=64, lr=1e-2, generator=torch.Generator().manual_seed(0),
                      minority_mask=minority, **settings)
    return torch.cat([p.detach().flatten() for p in ae.parameters()])


def test_separation_margin_of_train_autoencoder_switches_eq_3_2_off_and_on():
    plain = _trained_autoencoder(clustering_weight=0.0)
    clustered = _trained_autoencoder(clustering_weight=1.0)
    assert (clustered - plain).abs().max() > 1e-3  # Eq. 3.2 changes the training...
    # ...unless every step finds the classes at least the margin apart (any separation is >= 0)...
    np.testing.assert_allclose(_trained_autoencoder(clustering_weight=1.0, separation_margin=0.0).numpy(),
                               plain.numpy(), rtol=0, atol=1e-10)
    # ...and it is never switched off by a margin no separation reaches.
    np.testing.assert_allclose(_trained_autoencoder(clustering_weight=1.0, separation_margin=math.inf).numpy(),
                               clustered.numpy(), rtol=0, atol=1e-10)


# --- Eq. 3.6 / 3.7: the generator's loss ---------------------------------------------------------------------


def _numpy_generator_loss(g_org, x_org, p_real_fake, c_fake, gamma_fake, lambda1, lambda2):
    """Eq. 3.6 written out: each squared norm summed over its vector, then averaged over its own set."""
    reconstruction = ((g_org - x_org) ** 2).sum(axis=1).mean()  # 1/|X_org| sum ||G(z_i) - x_i||^2
    adversarial = ((p_real_fake - 1.0) ** 2).mean()  # 1/|Z| sum ||D(G(z)) - 1||^2
    classification = ((c_fake - gamma_fake) ** 2).sum(axis=1).mean()  # 1/|Z| sum ||C(G(z)) - Gamma_z||^2
    return reconstruction + lambda1 * adversarial + lambda2 * classification


def test_generator_loss_matches_eq_3_6_with_distinct_set_sizes_and_weights():
    rng = np.random.default_rng(2)
    g_org, x_org = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))  # |X_org| = 3
    p_real, c_fake = rng.uniform(size=5), rng.normal(size=(5, 2))  # |Z| = 5
    gamma = np.eye(2)[[0, 1, 1, 0, 1]]
    expected = _numpy_generator_loss(g_org, x_org, p_real, c_fake, gamma, 0.3, 2.5)
    value = generator_loss(t(g_org), t(x_org), t(p_real), t(c_fake), t(gamma), adversarial_weight=0.3,
                           classifier_weight=2.5)
    assert value.item() == pytest.approx(expected, rel=1e-12)


ROUND = dict(discriminator_epochs=1, classifier_epochs=1, generator_epochs=1, batch_size=64, lr=1e-2,
             synthetic_weight=0.7, patience=None, tol=0.0)


def test_generators_step_minimises_eq_3_7_with_lambda1_adversarial_and_lambda2_classifier_weight():
    X, Z, is_minority, nets = tiny_adversarial_problem()
    G0 = copy.deepcopy(nets.generator)  # D's and C's steps leave G as it is: G's step starts from G0
    history = train_adversarial(X, Z, is_minority, nets, max_rounds=1, adversarial_weight=0.3,
                                classifier_weight=2.5, generator=torch.Generator().manual_seed(0), **ROUND)
    with torch.no_grad():  # D and C are frozen during G's step: their values after the round are the ones it saw
        fake = G0(Z)
        p_real = nets.discriminator(fake)[:, 1].numpy()  # D's softmax column 1 is "real"
        c_fake = nets.classifier(fake).numpy()
    gamma = np.eye(2)[is_minority.numpy().astype(int)]  # column 0 = majority, column 1 = minority
    expected = _numpy_generator_loss(fake[:6].numpy(), X.numpy(), p_real, c_fake, gamma, 0.3, 2.5)
    assert len(history["generator"]) == 1
    assert history["generator"][0] == pytest.approx(expected, rel=1e-9)
    # Swapping the two weights gives another value, so the match above pins which weight is which.
    swapped = _numpy_generator_loss(fake[:6].numpy(), X.numpy(), p_real, c_fake, gamma, 2.5, 0.3)
    assert abs(swapped - expected) > 1e-3
