"""GL-GAN's local structure exploration module (Wang et al., SDM 2020, §3.1) and its shared pieces.

* :class:`Autoencoder` — encoder E and decoder Q as MLPs (§3.1.1).
* :func:`train_autoencoder` — minimises Eq. 3.3, ``L_rec (3.1) + Λ1 L_clu (3.2) + Λ2 R(θ)``.
  With ``clustering_weight=0`` it is a plain reconstruction autoencoder (BAGAN reuses it so).
* :func:`latent_smote` — the local data interpolator I: SMOTE on the minority latent codes (§3.1.2).
* :func:`pretrain_and_interpolate` — Algorithm 1, lines 1-4 (pretrain, encode, interpolate), the one
  function that GL-GAN and its ablations (``baselines.AutoOnly``, ``baselines.PlainAE``) all call.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from imblearn.over_sampling import SMOTE
from torch import nn

from glgan.losses import autoencoder_loss, class_balanced_mean, row_sq_norm
from glgan.torch_utils import EpochLosses, adam, check_all_finite, epochs_bar, minibatches, mlp, steps_per_epoch

__all__ = [
    "Autoencoder",
    "train_autoencoder",
    "forward_in_chunks",
    "latent_smote",
    "LatentSet",
    "AutoencoderSettings",
    "pretrain_and_interpolate",
]


class Autoencoder(nn.Module):
    """Encoder E: ``n_features -> *hidden_dims -> latent_dim``; decoder Q: the mirror image.

    Both are :func:`glgan.torch_utils.mlp` stacks, so every ``Linear`` is a direct child and the
    networks of GL-GAN's adversarial stage (D, C from E; G from Q; §3.4) can copy them layer by layer.
    The latent layer is linear (no activation) so codes are unconstrained real vectors, as SMOTE's
    interpolation and Eq. 3.2's cluster means assume.

    Parameters
    ----------
    n_features : int
        Input width.
    hidden_dims : sequence of int
        Hidden widths of the encoder (the decoder uses them reversed). May be empty.
    latent_dim : int
        Width of the latent code ``z = E(x)``.
    activation : type of nn.Module, default=nn.ReLU
        Hidden-layer activation of both networks.
    dropout : float, default=0.0
        Dropout after each hidden activation.
    out_activation : type of nn.Module or None, default=None
        Activation after the decoder's last layer (e.g. ``nn.Sigmoid`` for features in [0, 1]).
    """

    def __init__(
        self,
        n_features: int,
        hidden_dims: Sequence[int],
        latent_dim: int,
        *,
        activation: type[nn.Module] = nn.ReLU,
        dropout: float = 0.0,
        out_activation: type[nn.Module] | None = None,
    ):
        super().__init__()
        hidden_dims = [int(h) for h in hidden_dims]
        self.encoder = mlp([n_features, *hidden_dims, latent_dim], activation, None, dropout)
        self.decoder = mlp([latent_dim, *reversed(hidden_dims), n_features], activation, out_activation, dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(x))


def _minority_rows(minority_idx: torch.Tensor, batch_size: int, generator: torch.Generator) -> torch.Tensor:
    """All minority rows when they fit in one batch, else a fresh random batch of them."""
    if len(minority_idx) <= batch_size:
        return minority_idx
    pick = torch.randperm(len(minority_idx), generator=generator)[:batch_size]
    return minority_idx[pick.to(minority_idx.device)]


def train_autoencoder(
    ae: Autoencoder,
    X: torch.Tensor,
    *,
    epochs: int,
    batch_size: int,
    lr: float,
    generator: torch.Generator,
    betas: tuple[float, float] = (0.9, 0.999),
    weight_decay: float = 0.0,
    minority_mask: torch.Tensor | None = None,
    clustering_weight: float = 0.0,
    minority_weight: float = 1.0,
    separation_weight: float = 1.0,
    scale_invariant_clustering: bool = True,
    separation_margin: float | None = None,
    balanced_reconstruction: bool = False,
    min_steps: int = 0,
    max_epoch_rows: int | None = None,
    verbose: bool = False,
    desc: str = "autoencoder",
) -> list[float]:
    """Train ``ae`` in place by minimising Eq. 3.3 with Adam; return the per-epoch mean loss.

    ``L_A = L_rec (3.1) + Λ1 L_clu (3.2) + Λ2 R(θ)`` with ``Λ1 = clustering_weight``. The regulariser
    is ``R(θ) = ½‖θ‖²`` over all parameters, applied as Adam's (coupled L2) ``weight_decay = Λ2``;
    the returned history holds ``L_rec + Λ1 L_clu`` only.

    Each minibatch estimates ``L_rec`` on its rows and the majority terms of Eq. 3.2 on its majority
    rows, while the minority terms use *all* minority codes (or a fresh random ``batch_size`` of them
    when there are more): minority rows are so few (7 of 751 on USPS at r = 0.01) that most
    minibatches would otherwise contain none, and ``z̄_min`` would be undefined.

    By default Eq. 3.2 is evaluated on normalised codes (scale- and shift-free, see :func:`glgan.losses.clustering_loss`):
    the paper's raw form is unbounded below; on USPS it reaches −1.2e9 after 100 epochs as
    the encoder inflates its codes. ``scale_invariant_clustering=False`` gives the raw form.

    Parameters
    ----------
    ae : Autoencoder
        The network, already on the device of ``X``.
    X : torch.Tensor of shape (n_samples, n_features)
        Float training rows.
    epochs, batch_size : int
        Passes over ``X`` and rows per minibatch (the last, smaller batch is kept).
    lr : float
        Adam learning rate.
    generator : torch.Generator
        CPU generator for the minibatch order (and minority subsets); makes training reproducible.
    betas : tuple of float, default=(0.9, 0.999)
        Adam betas.
    weight_decay : float, default=0.0
        Λ2 of Eq. 3.3.
    minority_mask : torch.Tensor of bool, optional
        Which rows are minority; required when ``clustering_weight > 0``.
    clustering_weight : float, default=0.0
        Λ1 of Eq. 3.3; 0 gives a plain autoencoder.
    minority_weight : float, default=1.0
        λ1 of Eq. 3.2 (minority scatter).
    separation_weight : float, default=1.0
        λ2 of Eq. 3.2 (cluster-mean separation).
    scale_invariant_clustering : bool, default=True
        Evaluate Eq. 3.2 on normalised codes (scale- and shift-free, bounded below) instead of raw codes.
    separation_margin : float or None, default=None
        Drop Eq. 3.2 from a step's loss while the class means are this far apart in pooled within-class
        RMS units (:func:`glgan.losses.clustering_loss`); None = always on, as in the paper.
    balanced_reconstruction : bool, default=False
        Eq. 3.1 as the class-balanced mean (majority rows of the batch and the minority rows of the step
        weigh half each) instead of the plain mean over the batch.
    min_steps : int, default=0
        Train for at least this many optimiser steps (more epochs on small data).
    max_epoch_rows : int or None, default=None
        The training budget: on more than this many rows each epoch is the first
        ``ceil(max_epoch_rows / batch_size)`` minibatches of a fresh permutation, so the cost stops growing
        with ``len(X)`` (:func:`glgan.torch_utils.minibatches`). None: every epoch visits every row.
    verbose : bool, default=False
        Show a tqdm bar.
    desc : str, default="autoencoder"
        Label of the bar and of the divergence error.

    Returns
    -------
    list of float
        Mean minibatch loss of each epoch.

    Raises
    ------
    TrainingDivergedError
        If the loss becomes NaN or infinite.
    """
    clustering = clustering_weight > 0
    if clustering or balanced_reconstruction:
        if minority_mask is None:
            raise ValueError(
                "train_autoencoder: clustering_weight > 0 or balanced_reconstruction needs minority_mask (bool tensor)."
            )
        minority_mask = minority_mask.to(device=X.device, dtype=torch.bool)
        if minority_mask.shape != (X.shape[0],):
            raise ValueError(f"minority_mask must have shape ({X.shape[0]},), got {tuple(minority_mask.shape)}")
        minority_idx = torch.nonzero(minority_mask).flatten()
        if len(minority_idx) == 0:
            raise ValueError("train_autoencoder: minority_mask selects no rows; the class-aware losses need some.")
    optimizer = adam(ae.parameters(), lr=lr, betas=betas, weight_decay=weight_decay)
    ae.train()
    history: list[float] = []
    n_steps = steps_per_epoch(len(X), batch_size, max_epoch_rows)
    bar = epochs_bar(max(epochs, math.ceil(min_steps / n_steps)), verbose, desc)
    for _ in bar:
        losses = EpochLosses(f"{desc} loss")
        for idx in minibatches(len(X), batch_size, generator, device=X.device, max_rows=max_epoch_rows):
            x = X[idx]
            if not (clustering or balanced_reconstruction):
                x_hat = ae.decoder(ae.encoder(x))
                loss = autoencoder_loss(x_hat, x)
            else:
                in_majority = ~minority_mask[idx]
                x_min = X[_minority_rows(minority_idx, batch_size, generator)]
                # One pass over the batch and the step's minority rows: the values of two passes, up to the
                # order of floating-point sums (docs/REPRODUCTION.md §13).
                z, z_min = ae.encoder(torch.cat([x, x_min])).split([len(x), len(x_min)])
                reconstruction = None
                if balanced_reconstruction:
                    x_hat, x_hat_min = ae.decoder(torch.cat([z, z_min])).split([len(x), len(x_min)])
                    reconstruction = class_balanced_mean(
                        row_sq_norm(x_hat[in_majority] - x[in_majority]), row_sq_norm(x_hat_min - x_min)
                    )
                else:
                    x_hat = ae.decoder(z)
                loss = autoencoder_loss(
                    x_hat, x, z[in_majority], z_min,
                    clustering_weight=clustering_weight,
                    minority_weight=minority_weight,
                    separation_weight=separation_weight,
                    scale_invariant=scale_invariant_clustering,
                    margin=separation_margin,
                    reconstruction=reconstruction,
                )
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            losses.add(loss)
        values = losses.values()
        history.append(sum(values) / len(values))
        bar.set_postfix(loss=f"{history[-1]:.4g}")
    ae.eval()
    return history


@torch.no_grad()
def forward_in_chunks(
    network: nn.Module, X: torch.Tensor, batch_size: int = 4096, out: torch.Tensor | None = None
) -> torch.Tensor:
    """``network(X)`` in evaluation mode, chunk by chunk and without autograd (``E(X)``, ``Q(Z_syn)``, ``G(Z_syn)``).

    The memory beyond the input and the output stays bounded by the chunk, not by ``len(X)``. With
    ``out`` (any dtype or device; e.g. a view of the array the sampler returns) each chunk is written
    straight into it, so not even the output is held twice.
    """
    network.eval()
    if out is None:
        return torch.cat([network(X[i : i + batch_size]) for i in range(0, len(X), batch_size)])
    if len(out) != len(X):
        raise ValueError(f"forward_in_chunks: out has {len(out)} rows for {len(X)} inputs")
    for i in range(0, len(X), batch_size):
        out[i : i + batch_size].copy_(network(X[i : i + batch_size]))
    return out


def latent_smote(
    Z: np.ndarray,
    minority_mask: np.ndarray,
    n_synthetic: int,
    *,
    k_neighbors: int,
    random_state: int,
) -> np.ndarray:
    """SMOTE on the minority latent codes (§3.1.2): exactly ``n_synthetic`` new codes.

    Uses :class:`imblearn.over_sampling.SMOTE` with ``k_neighbors`` clipped to ``n_min - 1`` (SMOTE
    needs ``k`` neighbours besides the point itself). With a single minority code there is nothing to
    interpolate towards: every synthetic code is a copy of it (SMOTE's ``z + η (z' - z)`` with
    ``z' = z``) and a :class:`UserWarning` says so.
    """
    Z = np.asarray(Z)
    minority_mask = np.asarray(minority_mask, dtype=bool)
    n_min = int(minority_mask.sum())
    if n_min == 0:
        raise ValueError("latent_smote: minority_mask selects no rows.")
    if n_synthetic == 0:
        return np.empty((0, Z.shape[1]), dtype=Z.dtype)
    if n_min == 1:
        warnings.warn(
            "Only one minority sample: latent SMOTE cannot interpolate, so all synthetic latent codes are "
            "copies of its code.",
            UserWarning,
            stacklevel=2,
        )
        return np.repeat(Z[minority_mask], n_synthetic, axis=0)
    smote = SMOTE(
        sampling_strategy={1: n_min + int(n_synthetic)},
        k_neighbors=min(int(k_neighbors), n_min - 1),
        random_state=random_state,
    )
    # SMOTE's new codes depend only on the minority codes (their order, their neighbours, the seed), so
    # only they and one other row (SMOTE needs two classes) go in: copying all n codes would make the
    # memory of this step grow with the majority.
    rest = ~minority_mask
    other = Z[[int(np.argmax(rest))]] if rest.any() else np.zeros((1, Z.shape[1]), dtype=Z.dtype)
    Z_in = np.vstack([other, Z[minority_mask]])
    Z_res, _ = smote.fit_resample(Z_in, np.r_[0, np.ones(n_min, dtype=np.int64)])
    return Z_res[len(Z_in) :]  # imblearn appends the synthetic rows after the originals


@dataclass
class LatentSet:
    """Output of :func:`pretrain_and_interpolate` (Algorithm 1, lines 1-4).

    Attributes
    ----------
    autoencoder : Autoencoder
        The trained E and Q (evaluation mode).
    Z : torch.Tensor of shape (n_samples + n_synthetic, latent_dim)
        The latent set ``Z_org ∪ Z_syn`` of §3.1.2, held once; :attr:`Z_org` and :attr:`Z_syn` are views.
    n_org : int
        Number of real rows (``len(X)``).
    loss_history : list of float
        Per-epoch autoencoder loss.
    """

    autoencoder: Autoencoder
    Z: torch.Tensor
    n_org: int
    loss_history: list[float]

    @property
    def Z_org(self) -> torch.Tensor:
        """``E(X)``, row-aligned with ``X``."""
        return self.Z[: self.n_org]

    @property
    def Z_syn(self) -> torch.Tensor:
        """The latent SMOTE codes."""
        return self.Z[self.n_org :]


@dataclass(frozen=True)
class AutoencoderSettings:
    """The hyperparameters of Algorithm 1, lines 1-3 (one object instead of a long argument list).

    Field names are the samplers' constructor names without the ``ae_`` prefix; see
    :class:`glgan.GLGAN` for their meaning. ``clustering_weight = 0`` gives a plain autoencoder.
    """

    hidden_dims: tuple[int, ...]
    latent_dim: int
    epochs: int
    batch_size: int
    learning_rate: float
    weight_decay: float
    k_neighbors: int
    clustering_weight: float = 0.0
    minority_scatter_weight: float = 1.0
    separation_weight: float = 1.0
    scale_invariant_clustering: bool = True
    separation_margin: float | None = None
    balanced_reconstruction: bool = False
    min_steps: int = 0
    max_epoch_rows: int | None = None


def pretrain_and_interpolate(
    X: torch.Tensor,
    minority_mask: torch.Tensor,
    n_synthetic: int,
    settings: AutoencoderSettings,
    *,
    seed: int,
    out_activation: type[nn.Module] | None = None,
    activation: type[nn.Module] = nn.ReLU,
    verbose: bool = False,
    desc: str = "autoencoder",
) -> LatentSet:
    """Algorithm 1, lines 1-4: initialise and pretrain the autoencoder, encode, latent SMOTE.

    Call inside :func:`glgan.torch_utils.seeded` so the weight initialisation is reproducible; ``seed``
    also drives the minibatch order and SMOTE. ``X`` is a float tensor on the training device.
    """
    generator = torch.Generator().manual_seed(seed)
    ae = Autoencoder(
        X.shape[1], settings.hidden_dims, settings.latent_dim, activation=activation, out_activation=out_activation
    ).to(X.device)
    history = train_autoencoder(
        ae, X,
        epochs=settings.epochs, batch_size=settings.batch_size, lr=settings.learning_rate, generator=generator,
        weight_decay=settings.weight_decay, minority_mask=minority_mask,
        clustering_weight=settings.clustering_weight, minority_weight=settings.minority_scatter_weight,
        separation_weight=settings.separation_weight,
        scale_invariant_clustering=settings.scale_invariant_clustering,
        separation_margin=settings.separation_margin, balanced_reconstruction=settings.balanced_reconstruction,
        min_steps=settings.min_steps, max_epoch_rows=settings.max_epoch_rows, verbose=verbose, desc=desc,
    )
    n = len(X)
    Z = torch.empty((n + n_synthetic, settings.latent_dim), dtype=X.dtype, device=X.device)
    forward_in_chunks(ae.encoder, X, out=Z[:n])
    check_all_finite(Z[:n], f"{desc} latent codes")
    Z[n:] = torch.as_tensor(latent_smote(
        Z[:n].cpu().numpy(), minority_mask.cpu().numpy(), n_synthetic,
        k_neighbors=settings.k_neighbors, random_state=seed,
    ), device=X.device)
    return LatentSet(ae, Z, n, history)
