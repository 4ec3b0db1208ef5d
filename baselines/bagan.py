"""BAGAN (Mariani et al., arXiv 1803.09655, 2018) ported from images to feature vectors.

Follows IBM/BAGAN ``balancing_gan.py`` (HEAD b57fc15) with MLPs in place of its conv stacks:

1. an autoencoder is trained on all classes (reconstruction loss);
2. D = a copy of the trained encoder body + a fresh (n_classes + 1)-way softmax head, the extra
   class meaning "fake"; G = the trained decoder;
3. one Gaussian per class is fitted once to the latent codes of that class;
4. adversarial epochs: D learns to label real rows with their class and G(z) as fake; G learns to make
   D label G(z) as the class z was drawn for.

New rows for class c are G(z) with z ~ N(mu_c, Sigma_c). Every adaptation to vectors is listed in
``docs/REPRODUCTION.md`` (§8).
"""

from __future__ import annotations

import copy
import functools
import math
from numbers import Integral, Real

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import Substitution
from imblearn.utils._docstring import _random_state_docstring
from sklearn.utils._param_validation import Interval
from torch import nn
from torch.nn import functional as F

from baselines.gan_input import GANInput, prepare_gan_input, requested_classes
from glgan.autoencoder import Autoencoder, forward_in_chunks, train_autoencoder
from glgan.sampler_contract import append_synthetic
from glgan.torch_sampler import TorchSamplerMixin
from glgan.torch_utils import (
    DEVICE_OPTIONS,
    EpochLosses,
    as_tensor,
    check_finite,
    epochs_bar,
    minibatches,
    mlp,
    resolve_device,
    seed_from,
    seeded,
)

__all__ = ["BAGAN", "build_bagan_autoencoder", "init_discriminator", "class_gaussians", "sample_latent"]

# Keras' LeakyReLU default slope, used by the reference encoder and discriminator.
LEAKY_SLOPE = 0.3
DROPOUT = 0.3
# Ridge added to every class covariance, relative to the mean latent variance: a minority class with
# fewer rows than latent dimensions has a singular covariance, and the Cholesky factor needs it PD.
COVARIANCE_RIDGE = 1e-6


def build_bagan_autoencoder(n_features: int, hidden_dims, latent_dim: int) -> Autoencoder:
    """Encoder with LeakyReLU(0.3) and dropout 0.3, decoder with ReLU and a sigmoid output.

    IBM/BAGAN balancing_gan.py:81-117 (encoder: LeakyReLU + Dropout(0.3) per block) and 40-79
    (generator/decoder: ReLU, no dropout). :class:`glgan.autoencoder.Autoencoder` gives both halves the
    same activation and dropout, so the decoder is rebuilt with :func:`glgan.torch_utils.mlp`.
    """
    ae = Autoencoder(
        n_features,
        hidden_dims,
        latent_dim,
        activation=functools.partial(nn.LeakyReLU, LEAKY_SLOPE),
        dropout=DROPOUT,
        out_activation=nn.Sigmoid,
    )
    ae.decoder = mlp([latent_dim, *reversed(list(hidden_dims)), n_features], nn.ReLU, nn.Sigmoid)
    return ae


def init_discriminator(encoder: nn.Sequential, n_classes: int) -> nn.Sequential:
    """D = a deep copy of the encoder body (all but its latent layer) + a fresh ``n_classes + 1`` head.

    IBM/BAGAN balancing_gan.py:383-387 copies the trained reconstructor's body weights into D, whose
    softmax head (lines 130-140, "The last class is: FAKE") stays freshly initialised. The head uses
    Keras' Dense default (Glorot-uniform weights, zero bias). D returns logits.
    """
    body = copy.deepcopy(encoder[:-1])
    body_width = encoder[-1].in_features
    head = nn.Linear(body_width, n_classes + 1)
    nn.init.xavier_uniform_(head.weight)
    nn.init.zeros_(head.bias)
    return nn.Sequential(*body, head)


def class_gaussians(Z: np.ndarray, y_index: np.ndarray, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-class latent mean and Cholesky factor of the (ridged) full covariance.

    IBM/BAGAN balancing_gan.py:390-412 stores ``np.mean`` and ``np.cov`` of each class's codes. A class
    with at most ``latent_dim`` rows has a singular covariance (one row: zero), so
    ``COVARIANCE_RIDGE * mean latent variance * I`` is added before the Cholesky factorisation.

    Returns
    -------
    means : ndarray of shape (n_classes, latent_dim)
    cholesky : ndarray of shape (n_classes, latent_dim, latent_dim), lower-triangular
    """
    Z = np.asarray(Z, dtype=np.float64)
    latent_dim = Z.shape[1]
    scale = float(np.mean(np.var(Z, axis=0))) if len(Z) > 1 else 0.0
    ridge = COVARIANCE_RIDGE * (scale if scale > 0 else 1.0) * np.eye(latent_dim)
    means = np.zeros((n_classes, latent_dim))
    cholesky = np.zeros((n_classes, latent_dim, latent_dim))
    for c in range(n_classes):
        Z_c = Z[y_index == c]
        means[c] = Z_c.mean(axis=0)
        cov = np.cov(Z_c, rowvar=False).reshape(latent_dim, latent_dim) if len(Z_c) > 1 else 0.0
        cholesky[c] = np.linalg.cholesky(cov + ridge)
    return means, cholesky


def sample_latent(
    labels: torch.Tensor, means: torch.Tensor, cholesky: torch.Tensor, generator: torch.Generator
) -> torch.Tensor:
    """z ~ N(mu_c, Sigma_c) for each class index in ``labels`` (noise from ``generator``, on the CPU)."""
    noise = torch.randn(len(labels), means.shape[1], generator=generator, dtype=means.dtype).to(means.device)
    z = torch.empty_like(noise)
    for c in range(len(means)):
        rows = labels == c
        z[rows] = means[c] + noise[rows] @ cholesky[c].T
    return z


@Substitution(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    random_state=_random_state_docstring,
)
class BAGAN(TorchSamplerMixin, BaseOverSampler):
    """Over-sample with a balancing GAN (BAGAN, Mariani et al. 2018), MLP port of IBM/BAGAN.

    An autoencoder is trained on all rows; its encoder body initialises a (n_classes + 1)-way
    discriminator and its decoder is the generator. New rows of class c are ``G(z)`` with
    ``z ~ N(mu_c, Sigma_c)``, the Gaussian of class c's latent codes. Features are min-max scaled to
    [0, 1] on the rows given to ``fit_resample`` for training, and the synthetic rows are mapped back.

    Parameters
    ----------
    {sampling_strategy}

    {random_state}

    hidden_dims : tuple of int, default=(128,)
        Hidden widths of the encoder and of D's body; the decoder (G) mirrors them. The reference's
        conv stacks have no MLP counterpart; the default is GL-GAN's autoencoder width, so both
        methods start from networks of the same capacity.

    latent_dim : int, default=100
        Latent size (IBM/BAGAN's default).

    epochs : int, default=50
        Autoencoder epochs and, separately, GAN epochs (the reference trains both for the same
        number; its ``run.sh`` uses 150 on MNIST). See ``docs/REPRODUCTION.md`` (§8) for the cost
        trade-off.

    batch_size : int, default=128
        Rows per minibatch (the reference's value; the last, smaller batch is kept).

    ae_learning_rate : float, default=1e-3
        Adam step size of the autoencoder pretraining. The reference uses 5e-5 for ~58k updates on
        MNIST; a table of ~750 rows gets ~6 updates per epoch, and at 5e-5 the autoencoder does not
        learn to reconstruct the minority within a practical budget (see the notes).

    gan_learning_rate : float, default=5e-5
        Adam step size of D and G (the reference's value).

    max_epoch_rows : int or None, default=8192
        The training budget shared with :class:`glgan.GLGAN` (outside the reference): on more rows than
        this, each epoch of the autoencoder and of the GAN visits a fresh random subset of this many
        rows, so the fit's cost stops growing with n. On at most this many rows it changes nothing.
        None: full epochs.

    device : {{"auto", "cpu", "cuda"}} or torch.device, default="auto"
        Where to train; ``"auto"`` uses CUDA when available. Bit-identical results are only
        guaranteed on the CPU.

    n_threads : int or None, default=1
        torch threads during ``fit_resample`` (the caller's setting is restored afterwards); these
        networks are small and torch's default of one thread per core is several times slower beside
        other busy processes. None keeps torch's current setting.

    verbose : bool, default=False
        Show progress bars with the current losses.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of rows generated per class.

    generator_ : torch.nn.Module
        The trained G (starts as the trained decoder); maps latent codes to [0, 1]-scaled rows.
        Like the other fitted attributes below, not set when ``sampling_strategy_`` asks for no rows.

    discriminator_ : torch.nn.Module
        The trained D (logits over the classes, then "fake").

    latent_means_ : ndarray of shape (n_classes, latent_dim)
        Per-class latent means, classes in sorted order.

    latent_cholesky_ : ndarray of shape (n_classes, latent_dim, latent_dim)
        Cholesky factors of the ridged per-class latent covariances.

    loss_history_ : dict of str to list of float
        Per-epoch mean loss of the autoencoder, D and G.

    n_features_in_ : int
        Number of features in the input dataset.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during `fit`. Defined only when `X` has feature names that are all
        strings.

    References
    ----------
    G. Mariani, F. Scheidegger, R. Istrate, C. Bekas, C. Malossi, "BAGAN: Data Augmentation with
    Balancing GAN", arXiv:1803.09655 (2018). Code: https://github.com/IBM/BAGAN

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from baselines import BAGAN
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> X_res, y_res = BAGAN(epochs=2, random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 180), (np.int64(1), 180)]
    """

    #: Enters the results store's config hash (:func:`glgan.experiment.run_keys.sampler_revision`). 1: the
    #: autoencoder pretraining (``glgan.autoencoder.train_autoencoder``) uses fused Adam (docs/REPRODUCTION.md §13).
    _results_revision = 1

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "hidden_dims": ["array-like"],  # a list, tuple, array, or the ListConfig Hydra passes from a yaml list
        "latent_dim": [Interval(Integral, 1, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "ae_learning_rate": [Interval(Real, 0, None, closed="neither")],
        "gan_learning_rate": [Interval(Real, 0, None, closed="neither")],
        "max_epoch_rows": [Interval(Integral, 1, None, closed="left"), None],
        "device": [DEVICE_OPTIONS, torch.device],
        "n_threads": [Interval(Integral, 1, None, closed="left"), None],
        "verbose": ["boolean"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        hidden_dims=(128,),
        latent_dim=100,
        epochs=50,
        batch_size=128,
        ae_learning_rate=1e-3,
        gan_learning_rate=5e-5,
        max_epoch_rows=8192,
        device="auto",
        n_threads=1,
        verbose=False,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.hidden_dims = hidden_dims
        self.latent_dim = latent_dim
        self.epochs = epochs
        self.batch_size = batch_size
        self.ae_learning_rate = ae_learning_rate
        self.gan_learning_rate = gan_learning_rate
        self.max_epoch_rows = max_epoch_rows
        self.device = device
        self.n_threads = n_threads
        self.verbose = verbose

    def _train_and_generate(self, X, y):
        hidden_dims = self._checked_hidden_dims()
        if not any(self.sampling_strategy_.values()):
            return X, y  # nothing to generate (e.g. already balanced): no training
        data = prepare_gan_input(X, y)
        device = resolve_device(self.device)
        seed = seed_from(self.random_state)
        n_classes = len(data.classes)
        betas = (0.5, 0.999)  # IBM/BAGAN: Adam(lr, beta_1=0.5), Keras' beta_2

        with seeded(seed, device):
            generator = torch.Generator().manual_seed(seed)
            X_all = as_tensor(data.X01, device)
            ae = build_bagan_autoencoder(X_all.shape[1], hidden_dims, self.latent_dim).to(device)
            ae_history = train_autoencoder(
                ae, X_all, epochs=self.epochs, batch_size=self.batch_size, lr=self.ae_learning_rate,
                generator=generator, betas=betas, max_epoch_rows=self.max_epoch_rows, verbose=self.verbose,
                desc="BAGAN autoencoder",
            )
            Z = forward_in_chunks(ae.encoder, X_all)
            check_finite(Z.abs().max(), "BAGAN latent codes")
            self.latent_means_, self.latent_cholesky_ = class_gaussians(
                Z.cpu().numpy(), data.y_index, n_classes
            )
            self.generator_ = ae.decoder
            self.discriminator_ = init_discriminator(ae.encoder, n_classes).to(device)
            gan_history = self._train_gan(data, X_all, betas, generator, device)
            self.loss_history_ = {"autoencoder": ae_history, **gan_history}
            X_new, y_new = self._generate(data, generator, device)

        return append_synthetic(X, y, data.to_original_scale(X_new, X.dtype), y_new)

    def _checked_hidden_dims(self) -> list[int]:
        dims = list(self.hidden_dims)
        if not all(isinstance(h, Integral) and not isinstance(h, bool) and h >= 1 for h in dims):
            raise ValueError(
                "hidden_dims must be a sequence of positive integers, e.g. (128,) or (256, 128); "
                f"got {self.hidden_dims!r}"
            )
        return [int(h) for h in dims]

    def _latent_tensors(self, device) -> tuple[torch.Tensor, torch.Tensor]:
        return (
            torch.as_tensor(self.latent_means_, dtype=torch.float32, device=device),
            torch.as_tensor(self.latent_cholesky_, dtype=torch.float32, device=device),
        )

    def _train_gan(self, data: GANInput, X_all, betas, generator: torch.Generator, device) -> dict:
        G, D = self.generator_, self.discriminator_
        n_classes = len(data.classes)
        opt_g = torch.optim.Adam(G.parameters(), lr=self.gan_learning_rate, betas=betas)
        opt_d = torch.optim.Adam(D.parameters(), lr=self.gan_learning_rate, betas=betas)
        y_all = torch.as_tensor(data.y_index, device=device)
        means, cholesky = self._latent_tensors(device)
        fake_class = n_classes
        history = {"discriminator": [], "generator": []}

        # Dropout stays active in D for both steps, as in Keras' train_on_batch (the reference's G
        # step goes through the combined model with D frozen but still in the training phase).
        G.train()
        D.train()
        bar = epochs_bar(self.epochs, self.verbose, desc="BAGAN adversarial")
        for _ in bar:
            d_losses, g_losses = EpochLosses("BAGAN discriminator loss"), EpochLosses("BAGAN generator loss")
            for idx in minibatches(len(X_all), self.batch_size, generator, device=device, max_rows=self.max_epoch_rows):
                # IBM/BAGAN balancing_gan.py:260-293 (_train_one_epoch), uniform class ratios.
                fake_size = math.ceil(len(idx) / n_classes)

                labels = torch.randint(n_classes, (fake_size,), generator=generator).to(device)
                with torch.no_grad():
                    x_fake = G(sample_latent(labels, means, cholesky, generator))
                logits = D(torch.cat([X_all[idx], x_fake]))
                targets = torch.cat([y_all[idx], torch.full((fake_size,), fake_class, device=device)])
                loss_d = F.cross_entropy(logits, targets)
                opt_d.zero_grad(set_to_none=True)
                loss_d.backward()
                opt_d.step()

                labels = torch.randint(n_classes, (fake_size + len(idx),), generator=generator).to(device)
                D.requires_grad_(False)
                loss_g = F.cross_entropy(D(G(sample_latent(labels, means, cholesky, generator))), labels)
                opt_g.zero_grad(set_to_none=True)
                loss_g.backward()
                opt_g.step()
                D.requires_grad_(True)

                d_losses.add(loss_d)
                g_losses.add(loss_g)
            d_losses, g_losses = d_losses.values(), g_losses.values()
            history["discriminator"].append(float(np.mean(d_losses)))
            history["generator"].append(float(np.mean(g_losses)))
            bar.set_postfix(D=history["discriminator"][-1], G=history["generator"][-1])
        G.eval()
        D.eval()
        return history

    @torch.no_grad()
    def _generate(self, data: GANInput, generator: torch.Generator, device):
        means, cholesky = self._latent_tensors(device)
        X_parts = [np.empty((0, data.X01.shape[1]), dtype=np.float32)]
        index_parts = [np.empty(0, dtype=np.int64)]
        for class_index, n in requested_classes(self, data.classes):
            labels = torch.full((n,), class_index, dtype=torch.long, device=device)
            X_parts.append(self.generator_(sample_latent(labels, means, cholesky, generator)).cpu().numpy())
            index_parts.append(np.full(n, class_index, dtype=np.int64))
        return np.concatenate(X_parts), data.classes[np.concatenate(index_parts)]
