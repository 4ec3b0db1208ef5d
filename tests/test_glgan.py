"""GL-GAN: losses (Eqs. 3.1-3.6), network initialisation (§3.4) and the sampler contract (imbalanced-learn's estimator
checks: tests/test_common.py)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import StratifiedKFold, cross_val_score

import glgan.adversarial as adversarial_module
import glgan.sampler as sampler_module
from glgan import GLGAN
from glgan.autoencoder import (
    Autoencoder,
    AutoencoderSettings,
    forward_in_chunks,
    latent_smote,
    pretrain_and_interpolate,
    train_autoencoder,
)
from glgan.losses import (
    autoencoder_loss,
    classifier_loss,
    clustering_loss,
    discriminator_loss,
    generator_loss,
    reconstruction_loss,
)
from glgan.networks import init_adversarial_networks, real_probability
from glgan.sampler_contract import room_for_synthetic
from glgan.torch_utils import TrainingDivergedError, check_all_finite

TINY = dict(latent_dim=2, hidden_dims=(8,), ae_epochs=2, ae_min_steps=0, gan_epochs=2, batch_size=256, device="cpu")


def t(values):
    return torch.tensor(values, dtype=torch.float32)


def unit_data(n_maj=120, n_min=12, n_features=6, seed=0, dtype=np.float64):
    rng = np.random.RandomState(seed)
    X = np.vstack([rng.beta(2, 5, (n_maj, n_features)), rng.beta(5, 2, (n_min, n_features))]).astype(dtype)
    return X, np.r_[np.zeros(n_maj, dtype=np.int64), np.ones(n_min, dtype=np.int64)]


# --- losses, against hand-computed values -------------------------------------------------------------

def test_reconstruction_loss_eq_3_1():
    # rows: ||(1,2)||^2 = 5 and ||(0,-1)||^2 = 1 -> mean 3
    assert reconstruction_loss(t([[1, 2], [0, 0]]), t([[0, 0], [0, 1]])).item() == pytest.approx(3.0)
    assert reconstruction_loss(torch.zeros(0, 2), torch.zeros(0, 2)).item() == 0.0


Z_MAJ, Z_MIN = [[0, 0], [2, 0]], [[0, 4], [0, 6]]  # means (1, 0), (0, 5); scatters 1 and 1; ||Δ||^2 = 26


def test_clustering_loss_eq_3_2():
    value = clustering_loss(t(Z_MAJ), t(Z_MIN), minority_weight=2.0, separation_weight=0.5)
    assert value.item() == pytest.approx(1 + 2 * 1 - 0.5 * 26)
    # no majority codes in a minibatch: only the minority scatter remains
    assert clustering_loss(torch.zeros(0, 2), t(Z_MIN), minority_weight=2.0).item() == pytest.approx(2.0)


def test_scale_invariant_clustering_loss_is_bounded_and_scale_and_shift_free():
    # midpoint (0.5, 2.5): s^2 = 1/2 (scatter_maj + scatter_min) + ||Δ||^2 / 4 = 1 + 6.5
    value = clustering_loss(t(Z_MAJ), t(Z_MIN), minority_weight=2.0, separation_weight=0.5, scale_invariant=True)
    assert value.item() == pytest.approx((1 + 2 - 13) / 7.5)
    for scale, shift in ((1e-3, 0.0), (1e3, 0.0), (1.0, 50.0)):
        scaled = clustering_loss(t(Z_MAJ) * scale + shift, t(Z_MIN) * scale + shift, separation_weight=0.5,
                                 scale_invariant=True)
        assert scaled.item() == pytest.approx(clustering_loss(t(Z_MAJ), t(Z_MIN), separation_weight=0.5,
                                                              scale_invariant=True).item(), rel=1e-5)
    # the raw form decreases without bound with the scale; the normalised one stays >= -4 * lambda2
    assert clustering_loss(t(Z_MAJ) * 1e3, t(Z_MIN) * 1e3).item() < -1e6
    z = torch.randn(50, 3, generator=torch.Generator().manual_seed(0))
    far = clustering_loss(z[:40] + 100, z[40:] - 100, separation_weight=3.0, scale_invariant=True)
    assert -12.0 <= far.item() < -11.0


def test_autoencoder_loss_eq_3_3():
    x_hat, x = t([[1, 2], [0, 0]]), t([[0, 0], [0, 1]])
    value = autoencoder_loss(x_hat, x, t(Z_MAJ), t(Z_MIN), clustering_weight=0.1, minority_weight=2.0,
                             separation_weight=0.5)
    assert value.item() == pytest.approx(3.0 + 0.1 * -10.0)
    assert autoencoder_loss(x_hat, x).item() == pytest.approx(3.0)
    with pytest.raises(ValueError, match="z_maj and z_min"):
        autoencoder_loss(x_hat, x, clustering_weight=1.0)


def test_discriminator_loss_eq_3_4():
    # (0 + 0.25)/2 + 2 * (0.25 + 0)/2
    assert discriminator_loss(t([1, 0.5]), t([0.5, 0]), synthetic_weight=2.0).item() == pytest.approx(0.375)


def test_classifier_loss_eq_3_5():
    c_real, g_real = t([[1, 0], [0.5, 0.5]]), t([[1, 0], [0, 1]])  # (0 + 0.5)/2 = 0.25
    c_fake, g_fake = t([[0, 0]]), t([[0, 1]])  # 1
    assert classifier_loss(c_real, g_real, c_fake, g_fake, synthetic_weight=0.5).item() == pytest.approx(0.75)


def test_generator_loss_eq_3_6():
    value = generator_loss(
        t([[1, 1]]), t([[0, 0]]),  # reconstruction 2
        t([0.5, 1]),  # adversarial (0.25 + 0)/2
        t([[0, 1], [1, 1]]), t([[0, 1], [0, 1]]),  # classifier (0 + 1)/2
        adversarial_weight=2.0, classifier_weight=4.0,
    )
    assert value.item() == pytest.approx(2 + 2 * 0.125 + 4 * 0.5)


# --- networks: D, C from E; G from Q (§3.4) -------------------------------------------------------------

def _assert_same_weights(copy_layers, original_layers):
    for mine, theirs in zip(copy_layers, original_layers):
        for p, q in zip(mine.parameters(), theirs.parameters()):
            assert torch.equal(p, q) and p.data_ptr() != q.data_ptr()


def test_adversarial_networks_start_from_the_trained_autoencoder():
    torch.manual_seed(0)
    ae = Autoencoder(6, [5, 4], 3, out_activation=torch.nn.Sigmoid)
    X = torch.rand(40, 6)
    train_autoencoder(ae, X, epochs=2, batch_size=16, lr=1e-2, generator=torch.Generator().manual_seed(0))
    nets = init_adversarial_networks(ae)
    n_enc = len(ae.encoder)
    _assert_same_weights(list(nets.discriminator)[:n_enc], list(ae.encoder))
    _assert_same_weights(list(nets.classifier)[:n_enc], list(ae.encoder))
    _assert_same_weights(list(nets.generator), list(ae.decoder))
    # one more dense layer each; D ends in a 2-way softmax, C in raw scores
    assert isinstance(nets.discriminator[-1], torch.nn.Softmax) and nets.discriminator[-2].out_features == 2
    assert isinstance(nets.classifier[-1], torch.nn.Linear) and nets.classifier[-1].out_features == 2
    # the new layers start at zero: D is undecided (0.5) and C scores 0 until they are trained
    assert torch.equal(real_probability(nets.discriminator, X), torch.full((40,), 0.5))
    assert torch.equal(nets.classifier(X), torch.zeros(40, 2))
    # copies are independent: training them leaves E and Q alone
    before = [p.clone() for p in ae.parameters()]
    for p in nets.generator.parameters():
        p.data.add_(1.0)
    assert all(torch.equal(a, b) for a, b in zip(before, ae.parameters()))


def test_glgan_initialises_its_gan_from_the_pretrained_autoencoder(monkeypatch):
    seen = []

    def spy(autoencoder, **kwargs):
        nets = init_adversarial_networks(autoencoder, **kwargs)
        n_enc = len(autoencoder.encoder)
        _assert_same_weights(list(nets.discriminator)[:n_enc], list(autoencoder.encoder))
        _assert_same_weights(list(nets.classifier)[:n_enc], list(autoencoder.encoder))
        _assert_same_weights(list(nets.generator), list(autoencoder.decoder))
        seen.append(nets)
        return nets

    monkeypatch.setattr(sampler_module, "init_adversarial_networks", spy)
    X, y = unit_data()
    X_res, _ = GLGAN(random_state=0, **TINY).fit_resample(X, y)
    assert len(seen) == 1 and X_res.shape[0] == 240


# --- sampler contract -----------------------------------------------------------------------------------

def test_exact_counts_and_original_rows_first():
    X, y = unit_data()
    X_res, y_res = GLGAN(random_state=0, **TINY).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [120, 120]
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert (y_res[len(y) :] == 1).all() and np.isfinite(X_res).all()
    X_res, y_res = GLGAN(sampling_strategy={1: 50}, random_state=0, **TINY).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [120, 50]


def test_deterministic_for_a_seed_and_no_global_rng_leak():
    X, y = unit_data()
    torch_state, np_state = torch.get_rng_state(), np.random.get_state()
    first = GLGAN(random_state=3, **TINY).fit_resample(X, y)[0]
    second = GLGAN(random_state=3, **TINY).fit_resample(X, y)[0]
    other = GLGAN(random_state=4, **TINY).fit_resample(X, y)[0]
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, other)
    assert torch.equal(torch_state, torch.get_rng_state())
    np.testing.assert_array_equal(np_state[1], np.random.get_state()[1])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_kept(dtype):
    X, y = unit_data(dtype=dtype)
    X_res, y_res = GLGAN(random_state=0, **TINY).fit_resample(X, y.astype(np.int32))
    assert X_res.dtype == dtype and y_res.dtype == np.int32


def test_multiclass_input_is_balanced_one_vs_rest():
    X, y = make_classification(n_samples=300, n_classes=3, n_informative=4, weights=[0.6, 0.3, 0.1], random_state=0)
    s = GLGAN(random_state=0, **TINY)
    X_res, y_res = s.fit_resample(X, y)
    counts = np.bincount(y_res)
    assert (counts == counts.max()).all()
    assert sorted(s.history_) == [1, 2]  # one model per grown class


def test_sklearn_clone_and_cross_validation_in_a_pipeline():
    X, y = unit_data(n_maj=90, n_min=15)
    s = GLGAN(random_state=0, **TINY)
    assert clone(s).get_params() == s.get_params()
    pipe = Pipeline([("glgan", s), ("clf", LogisticRegression())])
    scores = cross_val_score(pipe, X, y, cv=3, scoring="balanced_accuracy")
    # Each fold grows its training rows only and scores the untouched test rows.
    expected = []
    for train, test in StratifiedKFold(3).split(X, y):
        X_res, y_res = GLGAN(random_state=0, **TINY).fit_resample(X[train], y[train])
        model = LogisticRegression().fit(X_res, y_res)
        expected.append(balanced_accuracy_score(y[test], model.predict(X[test])))
    np.testing.assert_allclose(scores, expected, rtol=1e-12)


def test_stopping_rule_and_history():
    X, y = unit_data()
    # tol=10 asks for a >1000% drop: no round after the first improves, so patience=2 stops after round 3
    short = GLGAN(random_state=0, **{**TINY, "gan_epochs": 20}, patience=2, tol=10.0)
    short.fit_resample(X, y)
    assert len(short.history_[1]["generator"]) == 3
    full = GLGAN(random_state=0, **{**TINY, "gan_epochs": 4}, patience=None)
    full.fit_resample(X, y)
    history = full.history_[1]
    assert [len(history[k]) for k in ("autoencoder", "discriminator", "classifier", "generator")] == [2, 4, 4, 4]


@pytest.mark.parametrize("variant, patience, tol", [("paper", 5, 1e-3), ("balanced", 3, 1e-2)])
def test_the_stopping_rule_is_set_by_the_variant_unless_given(monkeypatch, variant, patience, tol):
    seen = []
    real = adversarial_module.train_adversarial

    def spy(*args, **kwargs):
        seen.append((kwargs["patience"], kwargs["tol"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(sampler_module, "train_adversarial", spy)
    X, y = unit_data()
    GLGAN(random_state=0, variant=variant, **TINY).fit_resample(X, y)
    GLGAN(random_state=0, variant=variant, **TINY, patience=None, tol=0.5).fit_resample(X, y)
    assert seen == [(patience, tol), (None, 0.5)]
    with pytest.raises(ValueError, match="patience"):
        GLGAN(patience="sometimes").fit_resample(X, y)


def test_fused_adam_follows_the_default_adams_update():
    from glgan.torch_utils import adam

    torch.manual_seed(0)
    nets = [torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3)) for _ in range(2)]
    nets[1].load_state_dict(nets[0].state_dict())
    optimisers = [torch.optim.Adam(nets[0].parameters(), lr=1e-2, weight_decay=1e-3),
                  adam(nets[1].parameters(), lr=1e-2, weight_decay=1e-3)]
    assert optimisers[1].defaults["fused"] is True
    x = torch.randn(32, 6)
    for _ in range(20):
        for net, optimiser in zip(nets, optimisers):
            optimiser.zero_grad()
            net(x).pow(2).mean().backward()
            optimiser.step()
    for a, b in zip(nets[0].parameters(), nets[1].parameters()):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_divergence_raises_instead_of_returning_nan(monkeypatch):
    X, y = unit_data()
    with pytest.raises(TrainingDivergedError, match="autoencoder"):
        GLGAN(random_state=0, **TINY).fit_resample(X * 1e25, y)  # squared errors overflow float32
    monkeypatch.setattr(adversarial_module, "generator_loss", lambda *a, **k: torch.tensor(float("nan"), requires_grad=True))
    with pytest.raises(TrainingDivergedError, match="generator"):
        GLGAN(random_state=0, **TINY).fit_resample(X, y)


def test_output_activation_follows_the_data_range():
    X, y = unit_data()
    X_res, _ = GLGAN(random_state=0, **TINY).fit_resample(X, y)  # "auto" -> sigmoid on [0, 1] data
    assert X_res.min() >= 0 and X_res.max() <= 1
    with pytest.raises(ValueError, match="scale X to"):
        GLGAN(output_activation="sigmoid", **TINY).fit_resample(X * 3, y)
    X_res, _ = GLGAN(random_state=0, **TINY).fit_resample(X * 3 - 1, y)  # "auto" -> linear
    assert np.isfinite(X_res).all()


def test_bad_parameters_get_clear_errors():
    X, y = unit_data()
    with pytest.raises(ValueError, match="hidden_dims"):
        GLGAN(hidden_dims=(8, 0), **{k: v for k, v in TINY.items() if k != "hidden_dims"}).fit_resample(X, y)
    with pytest.raises(ValueError, match="latent_dim"):
        GLGAN(latent_dim=0).fit_resample(X, y)
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            GLGAN(**{**TINY, "device": "cuda"}).fit_resample(X, y)


def test_single_minority_row_warns_and_copies_its_code():
    Z = np.arange(12, dtype=np.float32).reshape(6, 2)
    mask = np.array([0, 0, 0, 0, 0, 1], dtype=bool)
    with pytest.warns(UserWarning, match="one minority sample"):
        Z_syn = latent_smote(Z, mask, 4, k_neighbors=5, random_state=0)
    np.testing.assert_array_equal(Z_syn, np.repeat(Z[5:], 4, axis=0))
    X, y = unit_data(n_min=1)
    with pytest.warns(UserWarning, match="one minority sample"):
        X_res, y_res = GLGAN(random_state=0, **TINY).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [120, 120]


def test_latent_smote_clips_k_and_gives_exact_counts():
    rng = np.random.RandomState(0)
    Z, mask = rng.rand(30, 3), np.r_[np.zeros(27, bool), np.ones(3, bool)]
    Z_syn = latent_smote(Z, mask, 40, k_neighbors=5, random_state=0)  # k clipped to 2
    assert Z_syn.shape == (40, 3)
    # SMOTE: z + eta (z' - z) with eta in [0, 1] and z, z' two of the three minority codes (each the other's
    # neighbour with k = 2): every new code lies on a segment between two minority codes.
    Z_min = Z[mask]
    on_segment = np.zeros(len(Z_syn), dtype=bool)
    for i, j in ((0, 1), (0, 2), (1, 2)):
        a, b = Z_min[i], Z_min[j]
        eta = (Z_syn - a) @ (b - a) / ((b - a) @ (b - a))
        residual = np.linalg.norm(a + eta[:, None] * (b - a) - Z_syn, axis=1)
        on_segment |= (eta >= -1e-12) & (eta <= 1 + 1e-12) & (residual < 1e-9)
    assert on_segment.all()
    assert len(np.unique(Z_syn, axis=0)) > 3  # new points, not copies of the three codes


def test_verbose_shows_progress_bars(capsys):
    X, y = unit_data()
    GLGAN(random_state=0, verbose=True, **TINY).fit_resample(X, y)
    err = capsys.readouterr().err
    assert "GLGAN[1] autoencoder" in err  # pretraining bar
    assert err.count("GLGAN[1]") > err.count("GLGAN[1] autoencoder")  # adversarial rounds bar


# --- memory: nothing but the latent set and the output grows with n -----------------------------------

def test_forward_in_chunks_writes_into_out_exactly_as_it_returns():
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Sigmoid())
    X = torch.rand(10, 3)
    returned = forward_in_chunks(net, X, batch_size=4)
    out64 = np.zeros((10, 4))
    forward_in_chunks(net, X, batch_size=4, out=torch.from_numpy(out64))
    torch.testing.assert_close(returned, net(X).detach())
    np.testing.assert_array_equal(out64, returned.numpy().astype(np.float64))  # cast exactly, in place
    with pytest.raises(ValueError, match="out has 9 rows for 10 inputs"):
        forward_in_chunks(net, X, out=torch.zeros(9, 4))


def test_room_for_synthetic_dense_shares_memory_and_sparse_is_separate():
    X = np.arange(6, dtype=np.float32).reshape(3, 2)
    X_res, tail = room_for_synthetic(X, 2)
    assert X_res.shape == (5, 2) and X_res.dtype == np.float32 and np.shares_memory(X_res, tail)
    np.testing.assert_array_equal(X_res[:3], X)
    tail[:] = 7.0
    assert (X_res[3:] == 7.0).all()
    from scipy import sparse

    none, dense_tail = room_for_synthetic(sparse.csr_matrix(X), 2)
    assert none is None and dense_tail.shape == (2, 2)


def test_latent_set_holds_z_once_with_org_and_syn_as_views():
    X, y = unit_data(n_features=4)
    X_t, mask = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y == 1)
    settings = AutoencoderSettings(
        hidden_dims=(8,), latent_dim=3, epochs=2, batch_size=64, learning_rate=1e-3, weight_decay=0.0,
        k_neighbors=5, clustering_weight=1.0,
    )
    latent = pretrain_and_interpolate(X_t, mask, 30, settings, seed=0)
    assert latent.Z.shape == (len(X) + 30, 3)
    assert latent.Z_org.data_ptr() == latent.Z.data_ptr() and latent.Z_syn.shape == (30, 3)
    np.testing.assert_array_equal(latent.Z_org.numpy(), forward_in_chunks(latent.autoencoder.encoder, X_t).numpy())


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_check_all_finite_finds_any_non_finite_value(bad):
    values = np.zeros((50, 3), dtype=np.float32)
    check_all_finite(values, "rows")
    check_all_finite(values[:0], "no rows")
    values[17, 2] = bad
    with pytest.raises(TrainingDivergedError, match="synthetic rows became (nan|inf)"):
        check_all_finite(values, "synthetic rows")
