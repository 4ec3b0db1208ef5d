"""The training budget (``max_epoch_rows``): nothing changes below it, the cost stops growing above it."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.datasets import make_classification

from baselines import BAGAN, AutoOnly
from glgan import GLGAN
from glgan.torch_utils import EpochLosses, TrainingDivergedError, minibatches, steps_per_epoch

FAST = {"ae_epochs": 3, "ae_min_steps": 0, "gan_epochs": 2, "hidden_dims": (16,), "latent_dim": 4,
        "batch_size": 32, "device": "cpu"}


def _data(n, seed=0):
    X, y = make_classification(n_samples=n, n_features=6, weights=[0.9], random_state=seed)
    return (X - X.min(0)) / (X.max(0) - X.min(0)), y


def test_capped_minibatches_are_the_first_ones_of_the_full_epoch():
    full = list(minibatches(1000, 64, torch.Generator().manual_seed(3)))
    capped = list(minibatches(1000, 64, torch.Generator().manual_seed(3), max_rows=5 * 64))
    assert len(full) == 16 and len(capped) == 5
    assert all(torch.equal(a, b) for a, b in zip(full, capped))
    assert steps_per_epoch(1000, 64, 5 * 64) == 5 and steps_per_epoch(1000, 64, 100 * 64) == 16 == steps_per_epoch(1000, 64)


@pytest.mark.parametrize("sampler", [GLGAN, AutoOnly])
def test_below_the_budget_outputs_are_bit_identical_to_full_epochs(sampler):
    X, y = _data(300)
    params = {**FAST} if sampler is GLGAN else {k: v for k, v in FAST.items() if k != "gan_epochs"}
    unbudgeted = sampler(random_state=0, max_epoch_rows=None, **params).fit_resample(X, y)[0]
    for budget in (8192, len(X)):  # the default, and a budget exactly the size of the data
        budgeted = sampler(random_state=0, max_epoch_rows=budget, **params).fit_resample(X, y)[0]
        np.testing.assert_array_equal(budgeted, unbudgeted)


def test_bagan_below_the_budget_is_bit_identical():
    X, y = _data(300)
    full = BAGAN(random_state=0, epochs=2, max_epoch_rows=None, device="cpu").fit_resample(X, y)[0]
    np.testing.assert_array_equal(BAGAN(random_state=0, epochs=2, device="cpu").fit_resample(X, y)[0], full)


def _optimiser_steps(monkeypatch, sampler, X, y) -> int:
    steps = []
    original = torch.optim.Adam.step

    def counting_step(self, *args, **kwargs):
        steps.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(torch.optim.Adam, "step", counting_step)
    sampler.fit_resample(X, y)
    return len(steps)


def test_above_the_budget_the_number_of_steps_stops_growing(monkeypatch):
    params = {**FAST, "patience": None, "max_epoch_rows": 256}
    small, large = _data(1000), _data(4000)
    n_small = _optimiser_steps(monkeypatch, GLGAN(random_state=0, **params), *small)
    n_large = _optimiser_steps(monkeypatch, GLGAN(random_state=0, **params), *large)
    unbudgeted = _optimiser_steps(monkeypatch, GLGAN(random_state=0, **{**params, "max_epoch_rows": None}), *large)
    # autoencoder: 3 epochs x ceil(256 / 32) = 24 steps; adversarial: 2 rounds x 3 epochs of the minibatches
    # that pair 256 real rows (about twice as many codes).
    assert n_small == n_large
    assert n_large < unbudgeted / 3


def test_epoch_losses_raise_at_the_end_of_a_diverged_epoch():
    losses = EpochLosses("test loss")
    for value in (1.0, float("nan"), 2.0):
        losses.add(torch.tensor(value))
    with pytest.raises(TrainingDivergedError, match="test loss became nan"):
        losses.values()
    ok = EpochLosses("ok")
    ok.add(torch.tensor(0.1, dtype=torch.float32))
    assert ok.values() == [float(torch.tensor(0.1, dtype=torch.float32))]


def test_budget_is_validated():
    X, y = _data(100)
    with pytest.raises(ValueError, match="max_epoch_rows"):
        GLGAN(max_epoch_rows=0).fit_resample(X, y)
