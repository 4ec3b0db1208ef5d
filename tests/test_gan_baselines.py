"""BAGAN and cGAN baselines: counts, determinism, BAGAN's initialisation and latent Gaussians, cGAN's training
budget and plateau rule (imbalanced-learn's estimator checks: tests/test_common.py)."""

import math
from collections import Counter

import numpy as np
import pytest
import torch
from scipy import sparse
from sklearn.base import clone
from sklearn.utils._param_validation import InvalidParameterError

from baselines import bagan as bagan_module
from baselines import cgan as cgan_module
from baselines.bagan import BAGAN, build_bagan_autoencoder, class_gaussians, init_discriminator, sample_latent
from baselines.cgan import CGAN, CGAN_AUTO_UPDATES, CGAN_MAX_UPDATES, auto_epochs, default_cgan_sizes
from glgan.torch_utils import TrainingDivergedError


def tiny_bagan(**kwargs):
    params = dict(hidden_dims=(8,), latent_dim=4, epochs=2, batch_size=32, device="cpu", random_state=0)
    return BAGAN(**{**params, **kwargs})


def tiny_cgan(**kwargs):
    params = dict(latent_dim=4, generator_units=8, discriminator_units=8, epochs=2, batch_size=32,
                  device="cpu", random_state=0)
    return CGAN(**{**params, **kwargs})


SAMPLERS = [tiny_bagan, tiny_cgan]


def binary_data(n_major=50, n_minor=6, n_features=5, dtype=np.float32, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.rand(n_major + n_minor, n_features).astype(dtype)
    X[n_major:] = 0.5 * X[n_major:] + 0.5  # minority in the upper half of the cube
    y = np.r_[np.zeros(n_major, dtype=np.int64), np.ones(n_minor, dtype=np.int64)]
    return X, y


@pytest.mark.parametrize("make", SAMPLERS)
def test_originals_first_then_exact_counts_dtype_kept(make):
    X, y = binary_data()
    sampler = make()
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert sampler.sampling_strategy_ == {1: 44}
    assert Counter(y_res[len(y):].tolist()) == {1: 44}
    assert X_res.dtype == np.float32 and y_res.dtype == y.dtype
    assert np.isfinite(X_res).all()


@pytest.mark.parametrize("make", SAMPLERS)
def test_same_seed_identical_other_seed_differs_no_global_rng_leak(make):
    X, y = binary_data()
    torch_state, numpy_state = torch.get_rng_state(), np.random.get_state()
    first = make(random_state=3).fit_resample(X, y)[0]
    assert torch.equal(torch.get_rng_state(), torch_state)
    assert np.array_equal(np.random.get_state()[1], numpy_state[1])
    second = make(random_state=3).fit_resample(X, y)[0]
    other = make(random_state=4).fit_resample(X, y)[0]
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, other)


@pytest.mark.parametrize("make", SAMPLERS)
def test_clone_keeps_parameters(make):
    sampler = make(epochs=7, sampling_strategy={1: 20})
    assert clone(sampler).get_params() == sampler.get_params()


@pytest.mark.parametrize("make", SAMPLERS)
def test_multiclass_with_string_labels(make):
    rng = np.random.RandomState(1)
    X = rng.rand(70, 4)
    y = np.array(["a"] * 40 + ["b"] * 20 + ["c"] * 10)
    X_res, y_res = make().fit_resample(X, y)
    assert Counter(y_res.tolist()) == {"a": 40, "b": 40, "c": 40}
    assert X_res.dtype == np.float64 and y_res.dtype == y.dtype
    np.testing.assert_array_equal(X_res[:70], X)


@pytest.mark.parametrize("make", SAMPLERS)
def test_synthetic_rows_stay_in_the_training_range_in_original_units(make):
    # Both generators end in a sigmoid on internally [0, 1]-scaled features; the rows must come back
    # in the original units, inside each feature's [min, max].
    X, y = binary_data(dtype=np.float64)
    X = 10.0 + 5.0 * X
    X_res, _ = make().fit_resample(X, y)
    synthetic = X_res[len(X):]
    assert (synthetic >= X.min(axis=0) - 1e-9).all() and (synthetic <= X.max(axis=0) + 1e-9).all()
    assert synthetic.min() > 9.0  # not left in the [0, 1] scale


@pytest.mark.parametrize("make", SAMPLERS)
def test_sparse_input_gives_sparse_output_with_dense_results(make):
    X, y = binary_data()
    X_dense, _ = make().fit_resample(X, y)
    X_sparse, _ = make().fit_resample(sparse.csr_matrix(X), y)
    assert sparse.issparse(X_sparse) and X_sparse.format == "csr"
    np.testing.assert_array_equal(X_sparse.toarray(), X_dense)


@pytest.mark.parametrize("make", SAMPLERS)
def test_memory_layout_does_not_change_the_result(make):
    X, y = binary_data()
    np.testing.assert_array_equal(
        make().fit_resample(np.asfortranarray(X), y)[0], make().fit_resample(X, y)[0]
    )


@pytest.mark.parametrize("make", SAMPLERS)
def test_nothing_requested_returns_the_input(make):
    X, y = binary_data()
    X_res, y_res = make(sampling_strategy={1: 6}).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)


@pytest.mark.parametrize(
    "make, sample_fn",
    [(tiny_cgan, (cgan_module, "uniform_noise")), (tiny_bagan, (bagan_module, "sample_latent"))],
)
def test_nan_during_training_raises(make, sample_fn, monkeypatch):
    module, name = sample_fn
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *args, **kw: real(*args, **kw) * float("nan"))
    X, y = binary_data()
    with pytest.raises(TrainingDivergedError, match="discriminator loss"):
        make().fit_resample(X, y)


def test_cgan_diverges_loudly_with_an_absurd_learning_rate():
    X, y = binary_data()
    with pytest.raises(TrainingDivergedError):
        tiny_cgan(learning_rate=1e30, epochs=5).fit_resample(X, y)


@pytest.mark.parametrize(
    "sampler",
    [
        tiny_bagan(epochs=40, hidden_dims=(16,)),
        tiny_cgan(epochs=40, generator_units=16, discriminator_units=16),
    ],
    ids=["BAGAN", "CGAN"],
)
def test_generated_class_follows_the_condition(sampler):
    # Two well-separated blobs: rows generated for class 1 must lie nearer class 1's mean. A sampler
    # that ignored the class (or swapped labels) fails this.
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0.25, 0.04, (120, 3)), rng.normal(0.75, 0.04, (40, 3))])
    y = np.r_[np.zeros(120, dtype=int), np.ones(40, dtype=int)]
    X_res, _ = sampler.fit_resample(X, y)
    synthetic = X_res[len(X):]
    to_minor = np.linalg.norm(synthetic - X[y == 1].mean(axis=0), axis=1)
    to_major = np.linalg.norm(synthetic - X[y == 0].mean(axis=0), axis=1)
    assert np.mean(to_minor < to_major) > 0.9


def test_bagan_discriminator_starts_as_a_copy_of_the_trained_encoder(monkeypatch):
    seen = {}

    def spy(encoder, n_classes):
        D = init_discriminator(encoder, n_classes)
        seen["encoder"] = {k: v.clone() for k, v in encoder.state_dict().items()}
        seen["D"] = {k: v.clone() for k, v in D.state_dict().items()}
        return D

    monkeypatch.setattr(bagan_module, "init_discriminator", spy)
    X, y = binary_data()
    sampler = tiny_bagan(epochs=3)
    sampler.fit_resample(X, y)

    head_index = _last_linear_index(seen["encoder"])  # the encoder's latent layer; D's head sits there
    body = {k: v for k, v in seen["encoder"].items() if int(k.split(".")[0]) < head_index}
    assert body  # weight and bias of the hidden layer at least
    for key, value in body.items():
        assert torch.equal(seen["D"][key], value), key
    assert seen["D"][f"{head_index}.weight"].shape[0] == 3  # 2 classes + "fake"
    # The encoder handed over was trained, not freshly initialised: its loss went down.
    history = sampler.loss_history_["autoencoder"]
    assert len(history) == 3 and history[-1] < history[0]


def _last_linear_index(state_dict) -> int:
    return max(int(key.split(".")[0]) for key in state_dict)


def test_init_discriminator_copies_body_and_adds_fresh_head():
    encoder = build_bagan_autoencoder(6, (5, 4), 3).encoder
    D = init_discriminator(encoder, n_classes=3)
    assert D[-1].out_features == 4 and D[-1].in_features == 4  # n_classes + 1 ("fake") on the body's width
    for i, layer in enumerate(encoder[:-1]):
        if isinstance(layer, torch.nn.Linear):
            assert torch.equal(D[i].weight, layer.weight) and D[i].weight is not layer.weight
    with torch.no_grad():
        D[0].weight.add_(1.0)
    assert not torch.equal(D[0].weight, encoder[0].weight)  # a copy, not shared parameters
    assert isinstance(D[1], torch.nn.LeakyReLU) and D[1].negative_slope == pytest.approx(0.3)
    assert isinstance(D[2], torch.nn.Dropout) and D[2].p == pytest.approx(0.3)


def test_bagan_decoder_is_relu_without_dropout_and_sigmoid_output():
    ae = build_bagan_autoencoder(6, (5,), 3)
    kinds = [type(layer) for layer in ae.decoder]
    assert kinds == [torch.nn.Linear, torch.nn.ReLU, torch.nn.Linear, torch.nn.Sigmoid]


def test_class_gaussians_with_singular_covariance_sample_finite_values_in_the_class_span():
    rng = np.random.RandomState(0)
    latent_dim = 10
    Z = np.vstack([
        rng.normal(size=(40, latent_dim)),  # class 0: full-rank covariance
        rng.normal(3.0, 1.0, (3, latent_dim)),  # class 1: rank 2
        np.full((1, latent_dim), -2.0),  # class 2: one code, zero covariance
    ])
    y_index = np.r_[np.zeros(40, dtype=int), np.ones(3, dtype=int), np.full(1, 2)]
    means, cholesky = class_gaussians(Z, y_index, 3)
    assert np.isfinite(cholesky).all()
    np.testing.assert_allclose(means[1], Z[40:43].mean(axis=0))

    generator = torch.Generator().manual_seed(0)
    labels = torch.tensor([1] * 200 + [2] * 50)
    z = sample_latent(labels, torch.tensor(means), torch.tensor(cholesky), generator).numpy()
    assert np.isfinite(z).all()
    # Class 1 has 3 codes: its samples stay (up to the tiny ridge) in their 2-D affine span.
    centred = Z[40:43] - means[1]
    basis = np.linalg.svd(centred, full_matrices=False)[2][:2]
    residual = (z[:200] - means[1]) - (z[:200] - means[1]) @ basis.T @ basis
    assert np.abs(residual).max() < 1e-2
    assert np.abs(z[:200] - means[1]).max() > 0.1  # but they do spread within it
    # A single code: zero covariance, every sample (up to the ridge) is that code.
    np.testing.assert_allclose(z[200:], -2.0, atol=1e-2)


def test_default_cgan_sizes_rule():
    assert default_cgan_sizes(4) == (8, 16)
    assert default_cgan_sizes(48) == (48, 96)
    assert default_cgan_sizes(256) == (128, 512)
    assert default_cgan_sizes(5000) == (128, 512)


def _cgan_data(seed=0):
    rng = np.random.RandomState(seed)
    X = np.vstack([rng.beta(2, 6, (90, 4)), rng.beta(6, 2, (10, 4))])
    return X, np.r_[np.zeros(90, int), np.ones(10, int)]


def test_cgan_auto_budget_history_and_plateau_rule():
    X, y = _cgan_data()
    small = dict(latent_dim=4, generator_units=8, discriminator_units=8, batch_size=50, device="cpu", random_state=0)
    # a plateau that cannot be reached (tol=0): trains the whole budget, in whole epochs
    full = CGAN(min_updates=20, max_updates=60, tol=0.0, patience=10, **small)
    full.fit_resample(X, y)
    h = full.history_
    assert h["stopped"] == "max_updates" and h["n_updates"] == 60 == h["updates"][-1]
    assert len(h["discriminator"]) == len(h["generator"]) == len(h["generator_smoothed"]) == 30
    assert np.all(np.diff(h["updates"]) == 2) and full.loss_history_["generator"] == h["generator"]
    # any change counts as a plateau (tol=1e9): stops at the first check after min_updates and the window
    quick = CGAN(min_updates=20, max_updates=400, tol=1e9, patience=10, **small)
    quick.fit_resample(X, y)
    assert quick.history_["stopped"] == "converged" and quick.history_["n_updates"] == 110  # 10 + window of 100
    # a fixed number of epochs ignores the rule, as before
    fixed = CGAN(epochs=3, **small)
    fixed.fit_resample(X, y)
    assert fixed.history_["stopped"] == "epochs" and fixed.history_["n_updates"] == 6
    with pytest.raises(ValueError, match="min_updates"):
        CGAN(min_updates=50, max_updates=10, **small).fit_resample(X, y)


def test_cgan_budget_matches_glgan_optimiser_steps_on_usps():
    # 1000 updates of D and of G = 2000 optimiser steps (GL-GAN on the USPS r = 0.01 split: 2082)
    assert CGAN_MAX_UPDATES == 1000 and CGAN().max_updates == 1000 and CGAN().min_updates == 500
    assert auto_epochs(751, 64, CGAN_MAX_UPDATES) == 84  # USPS: 12 minibatches of 64 per epoch


def test_cgan_auto_epochs_give_at_least_the_update_budget():
    for n_rows, batch in [(751, 64), (1050, 64), (1564, 64), (10, 64), (64, 64), (65, 64), (100_000, 64)]:
        epochs = auto_epochs(n_rows, batch, CGAN_AUTO_UPDATES)
        per_epoch = math.ceil(n_rows / min(batch, n_rows))
        assert epochs * per_epoch >= CGAN_AUTO_UPDATES > (epochs - 1) * per_epoch
    assert auto_epochs(751, 64, 500) == 42 and auto_epochs(1050, 64, 500) == 30


def test_bad_parameters_give_clear_errors():
    X, y = binary_data()
    with pytest.raises(ValueError, match="hidden_dims must be a sequence of positive integers"):
        tiny_bagan(hidden_dims=(8, 0)).fit_resample(X, y)
    with pytest.raises(InvalidParameterError):
        tiny_cgan(latent_dim=0).fit_resample(X, y)
    with pytest.raises(InvalidParameterError):
        tiny_bagan(device="gpu").fit_resample(X, y)
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            tiny_cgan(device="cuda").fit_resample(X, y)
