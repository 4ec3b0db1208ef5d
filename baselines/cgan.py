"""Conditional GAN over-sampling (Douzas & Bacao, Expert Systems with Applications 91, 2018).

G(z, y) and D(x, y) are one-hidden-layer ReLU MLPs with sigmoid outputs, trained with the vanilla
logistic losses (non-saturating for G), Adam at its default settings and one D step per G step. New
rows for a class c are G(z, c) with z ~ U(-1, 1). The paper's hyperparameters were tuned per dataset;
the default widths and training length here follow fixed rules, see ``docs/REPRODUCTION.md`` (§8).

The GAN-specific input plumbing it shares with :mod:`baselines.bagan` (min-max scaling, class indices) is
:mod:`baselines.gan_input`'s; input checks and output assembly are :mod:`glgan.sampler_contract`'s.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import Substitution
from imblearn.utils._docstring import _random_state_docstring
from sklearn.utils._param_validation import Interval, StrOptions
from torch import nn
from torch.nn import functional as F

from baselines.gan_input import GANInput, prepare_gan_input, requested_classes  # noqa: F401  (GANInput: re-exported)
from glgan.sampler_contract import append_synthetic
from glgan.torch_sampler import TorchSamplerMixin
from glgan.torch_utils import (
    DEVICE_OPTIONS,
    EpochLosses,
    as_tensor,
    epochs_bar,
    minibatches,
    resolve_device,
    seed_from,
    seeded,
)

__all__ = [
    "CGAN",
    "GANInput",
    "prepare_gan_input",
    "requested_classes",
    "default_cgan_sizes",
    "auto_epochs",
]

# ``epochs="auto"``: whole epochs until at least this many D (and G) updates. A fixed update budget
# makes a fit's cost depend on the network widths only, not on the number of rows (see the notes).
CGAN_AUTO_UPDATES = 500
# ``epochs="auto"``: train for at least CGAN_AUTO_UPDATES and at most CGAN_MAX_UPDATES
# updates of D and of G (2 optimiser steps per update), stopping earlier once the generator loss has
# reached a plateau (see CGAN's ``patience`` and ``tol``). 1000 updates = 2000 optimiser steps, GL-GAN's budget
# on the USPS r = 0.01 split (docs/REPRODUCTION.md).
CGAN_MAX_UPDATES = 1000
# Smoothing window (updates) of the generator loss that the convergence rule compares.
CGAN_LOSS_WINDOW = 100


def auto_epochs(n_rows: int, batch_size: int, updates: int) -> int:
    """The fewest whole epochs that give at least ``updates`` minibatch updates (last batch kept)."""
    batches_per_epoch = math.ceil(n_rows / max(1, min(batch_size, n_rows)))
    return math.ceil(updates / batches_per_epoch)


def default_cgan_sizes(n_features: int) -> tuple[int, int]:
    """``(latent_dim, hidden_units)`` used when the sampler's sizes are left at ``None``.

    Douzas & Bacao chose both from 2-10x the number of features per dataset (their Table 2). A fixed
    rule keeps the lower end of that range, ``hidden = 2 d`` and ``latent = d``, with floors for very
    narrow data and caps so that wide data (USPS d=256, Madelon d=500, Gisette d=5000) stays cheap.
    """
    hidden = min(max(2 * n_features, 16), 512)
    latent = min(max(n_features, 8), 128)
    return latent, hidden


class _ConditionalMLP(nn.Module):
    """``Linear(n_in + n_classes, hidden) -> ReLU -> Linear(hidden, n_out)`` on ``[input, one_hot(y)]``.

    Weights are He-normal with zero biases, the "xavier" initialiser of the authors' TF code
    (N(0, 1/sqrt(n_in / 2)); gdouzas/generative-adversarial-nets, ganetwork.py,
    ``initialize_model_parameters``).
    The output is a logit; callers apply the sigmoid (G) or fold it into the loss (D).
    """

    def __init__(self, n_in: int, n_classes: int, hidden: int, n_out: int):
        super().__init__()
        self.n_classes = n_classes
        self.hidden = nn.Linear(n_in + n_classes, hidden)
        self.out = nn.Linear(hidden, n_out)
        for layer in (self.hidden, self.out):
            nn.init.normal_(layer.weight, std=math.sqrt(2.0 / layer.in_features))
            nn.init.zeros_(layer.bias)

    def forward(self, inputs: torch.Tensor, y_index: torch.Tensor) -> torch.Tensor:
        y_one_hot = F.one_hot(y_index, self.n_classes).to(inputs.dtype)
        return self.out(torch.relu(self.hidden(torch.cat([inputs, y_one_hot], dim=1))))


def uniform_noise(n: int, dim: int, generator: torch.Generator, device: torch.device) -> torch.Tensor:
    """z ~ U(-1, 1), the prior of the authors' code (the paper does not state one)."""
    return (2.0 * torch.rand(n, dim, generator=generator) - 1.0).to(device)


@Substitution(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    random_state=_random_state_docstring,
)
class CGAN(TorchSamplerMixin, BaseOverSampler):
    """Over-sample with a conditional GAN (Douzas & Bacao 2018).

    One G(z, y) and one D(x, y) are trained on all classes; rows for each class to grow are
    ``G(z, class)`` with ``z ~ U(-1, 1)``. Features are min-max scaled to [0, 1] on the rows given to
    ``fit_resample`` for training and the synthetic rows are mapped back to the original units.

    Parameters
    ----------
    {sampling_strategy}

    {random_state}

    latent_dim : int or None, default=None
        Size of the noise vector z. ``None`` uses ``min(max(n_features, 8), 128)``.

    generator_units, discriminator_units : int or None, default=None
        Width of the single hidden layer of G and of D. ``None`` uses
        ``min(max(2 * n_features, 16), 512)``.

    epochs : int or "auto", default="auto"
        Passes over the training rows. An int trains exactly that many epochs. ``"auto"`` trains whole
        epochs until the generator loss has converged (see ``patience``), but at least ``min_updates``
        and at most ``max_updates`` updates of D and of G, so the cost does not grow with the number
        of rows. The paper used 2000-10000 epochs on datasets of a few hundred rows; see
        ``docs/REPRODUCTION.md`` (neural baselines) for the budget.

    min_updates, max_updates : int, default=500, 1000
        Bounds of ``epochs="auto"`` in minibatch updates (each one D step and one G step). 1000 updates
        (2000 optimiser steps) match GL-GAN's optimiser steps on the USPS r = 0.01 split.

    patience : int, default=200
        ``epochs="auto"`` stops at the end of an epoch once ``min_updates`` are done and the generator
        loss, averaged over the last 100 updates, differs by at most a relative ``tol`` from the same
        average ``patience`` updates earlier (the losses have reached a plateau). A GAN's generator loss
        need not fall as training goes on (it rises while D wins), so the rule asks for stationarity,
        not improvement.

    tol : float, default=0.01
        Relative change of the smoothed generator loss over ``patience`` updates counted as a plateau.

    batch_size : int, default=64
        Rows per minibatch (the last, smaller batch is kept).

    learning_rate : float, default=1e-3
        Adam step size (Adam's default, as in the paper); betas stay at (0.9, 0.999).

    device : {{"auto", "cpu", "cuda"}} or torch.device, default="auto"
        Where to train; ``"auto"`` uses CUDA when available. Bit-identical results are only
        guaranteed on the CPU.

    n_threads : int or None, default=1
        torch threads during ``fit_resample`` (the caller's setting is restored afterwards); these
        networks are small and torch's default of one thread per core is several times slower beside
        other busy processes. None keeps torch's current setting.

    verbose : bool, default=False
        Show a progress bar with the current losses.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of rows generated per class.

    generator_ : torch.nn.Module
        The trained G (input: noise and class index; output: logits of the [0, 1]-scaled features).
        Like the other fitted networks, not set when ``sampling_strategy_`` asks for no rows.

    discriminator_ : torch.nn.Module
        The trained D.

    loss_history_ : dict of str to list of float
        Mean D and G loss per epoch.

    history_ : dict
        ``"discriminator"``, ``"generator"``: mean loss per epoch; ``"updates"``: updates done by the end
        of each epoch; ``"generator_smoothed"``: the 100-update mean the stopping rule used, per epoch;
        ``"n_updates"``; ``"stopped"``: ``"converged"``, ``"max_updates"`` or ``"epochs"`` (a fixed int).

    n_features_in_ : int
        Number of features in the input dataset.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during `fit`. Defined only when `X` has feature names that are all
        strings.

    References
    ----------
    G. Douzas and F. Bacao, "Effective data generation for imbalanced learning using conditional
    generative adversarial networks", Expert Systems with Applications 91 (2018) 464-471.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from baselines import CGAN
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> X_res, y_res = CGAN(epochs=5, random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 180), (np.int64(1), 180)]
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "latent_dim": [Interval(Integral, 1, None, closed="left"), None],
        "generator_units": [Interval(Integral, 1, None, closed="left"), None],
        "discriminator_units": [Interval(Integral, 1, None, closed="left"), None],
        "epochs": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "min_updates": [Interval(Integral, 1, None, closed="left")],
        "max_updates": [Interval(Integral, 1, None, closed="left")],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "device": [DEVICE_OPTIONS, torch.device],
        "n_threads": [Interval(Integral, 1, None, closed="left"), None],
        "verbose": ["boolean"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        latent_dim=None,
        generator_units=None,
        discriminator_units=None,
        epochs="auto",
        batch_size=64,
        learning_rate=1e-3,
        min_updates=CGAN_AUTO_UPDATES,
        max_updates=CGAN_MAX_UPDATES,
        patience=200,
        tol=0.01,
        device="auto",
        n_threads=1,
        verbose=False,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.latent_dim = latent_dim
        self.generator_units = generator_units
        self.discriminator_units = discriminator_units
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.min_updates = min_updates
        self.max_updates = max_updates
        self.patience = patience
        self.tol = tol
        self.device = device
        self.n_threads = n_threads
        self.verbose = verbose

    def _train_and_generate(self, X, y):
        if not any(self.sampling_strategy_.values()):
            return X, y  # nothing to generate (e.g. already balanced): no training
        data = prepare_gan_input(X, y)
        device = resolve_device(self.device)
        seed = seed_from(self.random_state)
        n_classes, n_features = len(data.classes), data.X01.shape[1]
        default_latent, default_hidden = default_cgan_sizes(n_features)
        latent_dim = self.latent_dim or default_latent

        with seeded(seed, device):
            generator = torch.Generator().manual_seed(seed)
            self.generator_ = _ConditionalMLP(
                latent_dim, n_classes, self.generator_units or default_hidden, n_features
            ).to(device)
            self.discriminator_ = _ConditionalMLP(
                n_features, n_classes, self.discriminator_units or default_hidden, 1
            ).to(device)
            self.history_ = self._train(data, latent_dim, generator, device)
            self.loss_history_ = {k: self.history_[k] for k in ("discriminator", "generator")}
            X_new, y_new = self._generate(data, latent_dim, generator, device)

        return append_synthetic(X, y, data.to_original_scale(X_new, X.dtype), y_new)

    def _train(self, data: GANInput, latent_dim: int, generator: torch.Generator, device) -> dict:
        G, D = self.generator_, self.discriminator_
        opt_g = torch.optim.Adam(G.parameters(), lr=self.learning_rate, foreach=True)
        opt_d = torch.optim.Adam(D.parameters(), lr=self.learning_rate, foreach=True)
        X_all = as_tensor(data.X01, device)
        y_all = torch.as_tensor(data.y_index, device=device)
        history = {"discriminator": [], "generator": [], "updates": [], "generator_smoothed": []}
        auto = self.epochs == "auto"
        if auto and self.min_updates > self.max_updates:
            raise ValueError(f"min_updates ({self.min_updates}) must not exceed max_updates ({self.max_updates}).")
        # "auto": at most the whole epochs that reach max_updates; the rule below may stop earlier.
        epochs = auto_epochs(len(X_all), self.batch_size, self.max_updates) if auto else self.epochs
        g_steps: list[float] = []
        stopped = "max_updates" if auto else "epochs"

        bar = epochs_bar(epochs, self.verbose, desc="cGAN")
        for _ in bar:
            d_losses, g_losses = EpochLosses("cGAN discriminator loss"), EpochLosses("cGAN generator loss")
            for idx in minibatches(len(X_all), self.batch_size, generator, device=device):
                x_real, y_real = X_all[idx], y_all[idx]

                # D step. The fake half is conditioned on the minibatch's real labels (paper, Eq. 5);
                # the mean of the two terms is the paper's 1/(2m) normalisation.
                z = uniform_noise(len(idx), latent_dim, generator, device)
                with torch.no_grad():  # no graph through G for D's step
                    x_fake = torch.sigmoid(G(z, y_real))
                real_logits, fake_logits = D(x_real, y_real), D(x_fake, y_real)
                loss_d = 0.5 * (
                    F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
                    + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
                )
                opt_d.zero_grad()
                loss_d.backward()
                opt_d.step()

                # G step, non-saturating: maximise log D(G(z, y), y) (paper, Eq. 6).
                # D is frozen so that backward skips its weight gradients, which this step discards.
                z = uniform_noise(len(idx), latent_dim, generator, device)
                D.requires_grad_(False)
                fake_logits = D(torch.sigmoid(G(z, y_real)), y_real)
                loss_g = F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
                opt_g.zero_grad()
                loss_g.backward()
                opt_g.step()
                D.requires_grad_(True)

                d_losses.add(loss_d)
                g_losses.add(loss_g)
            d_losses, g_losses = d_losses.values(), g_losses.values()
            history["discriminator"].append(float(np.mean(d_losses)))
            history["generator"].append(float(np.mean(g_losses)))
            g_steps.extend(g_losses)
            smoothed = float(np.mean(g_steps[-CGAN_LOSS_WINDOW:]))
            history["updates"].append(len(g_steps))
            history["generator_smoothed"].append(smoothed)
            bar.set_postfix(D=history["discriminator"][-1], G=history["generator"][-1])
            if auto and len(g_steps) >= max(self.min_updates, self.patience + CGAN_LOSS_WINDOW):
                earlier = float(np.mean(g_steps[-self.patience - CGAN_LOSS_WINDOW : -self.patience]))
                if abs(smoothed - earlier) <= self.tol * abs(earlier):
                    stopped = "converged"
                    break
        history["n_updates"] = len(g_steps)
        history["stopped"] = stopped
        return history

    @torch.no_grad()
    def _generate(self, data: GANInput, latent_dim: int, generator: torch.Generator, device):
        X_parts = [np.empty((0, data.X01.shape[1]), dtype=np.float32)]
        index_parts = [np.empty(0, dtype=np.int64)]
        for class_index, n in requested_classes(self, data.classes):
            z = uniform_noise(n, latent_dim, generator, device)
            y_index = torch.full((n,), class_index, dtype=torch.long, device=device)
            X_parts.append(torch.sigmoid(self.generator_(z, y_index)).cpu().numpy())
            index_parts.append(np.full(n, class_index, dtype=np.int64))
        return np.concatenate(X_parts), data.classes[np.concatenate(index_parts)]
