"""GL-GAN's loss functions, one per equation of Wang et al., SDM 2020 (§3).

Squared norms ``‖·‖²₂`` are summed over the vector (features, latent dimensions or classes) and
averaged over samples, exactly as the paper writes them; a term over an empty set contributes 0.
"""

from __future__ import annotations

import torch

__all__ = [
    "reconstruction_loss",
    "class_balanced_mean",
    "fisher_separation",
    "clustering_loss",
    "autoencoder_loss",
    "discriminator_loss",
    "classifier_loss",
    "generator_loss",
]


def row_sq_norm(diff: torch.Tensor) -> torch.Tensor:
    """``‖diff_i‖²₂`` per row (a 1-D ``diff`` holds one value per row; none for no rows: a batch may hold one
    class only)."""
    squared = diff.pow(2)
    return squared.flatten(1).sum(dim=1) if squared.dim() > 1 else squared


def _mean_sq_norm(diff: torch.Tensor) -> torch.Tensor:
    """``1/n Σ_i ‖diff_i‖²₂`` over the rows of ``diff``; 0 for no rows (keeps the graph)."""
    if diff.shape[0] == 0:
        return diff.sum()
    return row_sq_norm(diff).mean()


def reconstruction_loss(x_hat: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Eq. 3.1: ``L_rec = 1/|X| Σ_i ‖Q(E(x_i)) − x_i‖²₂``.

    Also the first term of Eq. 3.6 with ``x_hat = G(z_i)`` for ``z_i ∈ Z_org``.
    """
    return _mean_sq_norm(x_hat - x)


def class_balanced_mean(per_row_majority: torch.Tensor, per_row_minority: torch.Tensor) -> torch.Tensor:
    """``½ mean(majority terms) + ½ mean(minority terms)``: each class weighs half, whatever its size.

    Used (outside the paper) for Eq. 3.1 and for the real-row terms of Eqs. 3.4 and 3.5 in GL-GAN's
    ``variant="balanced"``: with r = 0.01 the minority is 1 % of a plain average, so the networks can
    give it up at no cost. A class with no rows in the batch drops out (the other weighs 1).
    """
    parts = [t.mean() for t in (per_row_majority, per_row_minority) if t.shape[0] > 0]
    return sum(parts) / len(parts)


def fisher_separation(z_maj: torch.Tensor, z_min: torch.Tensor) -> torch.Tensor:
    """``‖z̄_maj − z̄_min‖ / σ``, the distance between the class means in pooled within-class RMS units.

    ``σ² = ½ (1/|maj| Σ ‖z − z̄_maj‖² + 1/|min| Σ ‖z − z̄_min‖²)``. Scale- and shift-free; the margin of
    :func:`clustering_loss` is measured in it.
    """
    scatter = 0.5 * (_mean_sq_norm(z_maj - z_maj.mean(dim=0)) + _mean_sq_norm(z_min - z_min.mean(dim=0)))
    return (z_maj.mean(dim=0) - z_min.mean(dim=0)).norm() / torch.sqrt(scatter + 1e-12)


def clustering_loss(
    z_maj: torch.Tensor,
    z_min: torch.Tensor,
    *,
    minority_weight: float = 1.0,
    separation_weight: float = 1.0,
    scale_invariant: bool = False,
    margin: float | None = None,
) -> torch.Tensor:
    """Eq. 3.2: ``1/|X_maj| Σ ‖E(x) − z̄_maj‖² + λ1/|X_min| Σ ‖E(x) − z̄_min‖² − λ2 ‖z̄_maj − z̄_min‖²``.

    ``z̄_maj`` and ``z̄_min`` are the means of ``z_maj`` and ``z_min``; ``minority_weight`` is λ1 and
    ``separation_weight`` λ2. The separation term needs both sets non-empty and is dropped otherwise.

    The paper's form (``scale_invariant=False``) is unbounded below: scaling every code by ``s``
    multiplies the loss by ``s²``, so once the clusters are apart an encoder lowers it without limit by
    inflating its codes (the decoder undoes the scale). With ``scale_invariant=True`` the same formula is
    evaluated on codes divided by their class-balanced RMS distance to the midpoint ``m`` of the two
    means, ``s² = ½ (mean ‖z_maj − m‖² + mean ‖z_min − m‖²)``. The loss is then invariant to scaling
    and shifting the codes, and since ``s² ≥ ¼ ‖z̄_maj − z̄_min‖²`` it is bounded below by ``−4 λ2``;
    it still pulls each class together and the two apart (like a Fisher criterion).

    Its minimum, though, is reached by collapsing each class to a point, and a class that weighs little
    in the reconstruction loss (the minority) does collapse. With ``margin`` (outside the paper) the
    term is switched off (returns a detached 0) while the classes are at least ``margin`` apart in
    :func:`fisher_separation` units: it separates the clusters and then stops, leaving the within-class
    structure to the reconstruction loss.
    """
    if margin is not None and z_maj.shape[0] > 1 and z_min.shape[0] > 1:
        if float(fisher_separation(z_maj.detach(), z_min.detach())) >= margin:
            return z_maj.new_zeros(())
    if scale_invariant and z_maj.shape[0] > 0 and z_min.shape[0] > 0:
        mid = 0.5 * (z_maj.mean(dim=0) + z_min.mean(dim=0))
        spread = 0.5 * (_mean_sq_norm(z_maj - mid) + _mean_sq_norm(z_min - mid))
        scale = torch.sqrt(spread + 1e-12)
        z_maj, z_min = z_maj / scale, z_min / scale
    loss = z_maj.new_zeros(())
    mean_maj = mean_min = None
    if z_maj.shape[0] > 0:
        mean_maj = z_maj.mean(dim=0)
        loss = loss + _mean_sq_norm(z_maj - mean_maj)
    if z_min.shape[0] > 0:
        mean_min = z_min.mean(dim=0)
        loss = loss + minority_weight * _mean_sq_norm(z_min - mean_min)
    if mean_maj is not None and mean_min is not None:
        loss = loss - separation_weight * (mean_maj - mean_min).pow(2).sum()
    return loss


def autoencoder_loss(
    x_hat: torch.Tensor,
    x: torch.Tensor,
    z_maj: torch.Tensor | None = None,
    z_min: torch.Tensor | None = None,
    *,
    clustering_weight: float = 0.0,
    minority_weight: float = 1.0,
    separation_weight: float = 1.0,
    scale_invariant: bool = False,
    margin: float | None = None,
    reconstruction: torch.Tensor | None = None,
) -> torch.Tensor:
    """Eq. 3.3 without its regulariser: ``L_rec + Λ1 L_clu`` (``Λ1 = clustering_weight``).

    ``Λ2 R(θ)`` is applied by the optimiser as weight decay (see :func:`glgan.autoencoder.train_autoencoder`),
    so it is not part of this value. ``reconstruction`` replaces Eq. 3.1's value (e.g. its class-balanced
    form, :func:`class_balanced_mean`); ``margin`` goes to :func:`clustering_loss`.
    """
    loss = reconstruction_loss(x_hat, x) if reconstruction is None else reconstruction
    if clustering_weight > 0:
        if z_maj is None or z_min is None:
            raise ValueError("autoencoder_loss: clustering_weight > 0 needs z_maj and z_min.")
        loss = loss + clustering_weight * clustering_loss(
            z_maj, z_min, minority_weight=minority_weight, separation_weight=separation_weight,
            scale_invariant=scale_invariant, margin=margin,
        )
    return loss


def real_term(diff: torch.Tensor, class_sizes: tuple[int, int] | None = None) -> torch.Tensor:
    """The real-row term of Eqs. 3.4 and 3.5, ``1/|X_org| Σ ‖diff_i‖²``; with ``class_sizes`` (the rows of
    ``diff`` are that many majority rows, then that many minority rows) its class-balanced form instead
    (:func:`class_balanced_mean`, outside the paper)."""
    if class_sizes is None:
        return _mean_sq_norm(diff)
    return class_balanced_mean(*row_sq_norm(diff).split(class_sizes))


def discriminator_loss(
    d_real: torch.Tensor,
    d_fake: torch.Tensor,
    *,
    synthetic_weight: float = 1.0,
    class_sizes: tuple[int, int] | None = None,
) -> torch.Tensor:
    """Eq. 3.4 (least squares): ``1/|X_org| Σ ‖D(x_i) − 1‖² + λ/|Z| Σ ‖D(G(z_i)) − 0‖²``.

    ``d_real`` and ``d_fake`` are D's outputs (here: the probability of the class "real") for real rows
    and for ``G(z)``; ``synthetic_weight`` is λ; ``class_sizes`` makes the real term class-balanced
    (:func:`real_term`).
    """
    return real_term(d_real - 1.0, class_sizes) + synthetic_weight * _mean_sq_norm(d_fake)


def classifier_loss(
    c_real: torch.Tensor,
    target_real: torch.Tensor,
    c_fake: torch.Tensor,
    target_fake: torch.Tensor,
    *,
    synthetic_weight: float = 1.0,
    class_sizes: tuple[int, int] | None = None,
) -> torch.Tensor:
    """Eq. 3.5 (least squares on one-hot labels): ``1/|X_org| Σ ‖C(x_i) − Γ_{x_i}‖² + λ/|Z| Σ ‖C(G(z_i)) − Γ_{z_i}‖²``.

    ``target_*`` are the one-hot label vectors Γ; ``synthetic_weight`` is λ (shared with Eq. 3.4);
    ``class_sizes`` makes the real term class-balanced (:func:`real_term`).
    """
    return real_term(c_real - target_real, class_sizes) + synthetic_weight * _mean_sq_norm(c_fake - target_fake)


def generator_loss(
    x_rec: torch.Tensor,
    x_org: torch.Tensor,
    d_fake: torch.Tensor,
    c_fake: torch.Tensor,
    target_fake: torch.Tensor,
    *,
    adversarial_weight: float = 1.0,
    classifier_weight: float = 1.0,
    reconstruction: torch.Tensor | None = None,
) -> torch.Tensor:
    """Eq. 3.6: ``L_rec(G(Z_org), X_org) + λ1 L_(G,D) + λ2 L_(G,C)``.

    ``x_rec = G(z_i)`` for ``z_i ∈ Z_org`` paired with their rows ``x_org``; ``d_fake``, ``c_fake`` are
    D's and C's outputs on ``G(z)`` for ``z ∈ Z`` with one-hot labels ``target_fake``.
    ``L_(G,D) = 1/|Z| Σ ‖D(G(z)) − 1‖²`` and ``L_(G,C) = 1/|Z| Σ ‖C(G(z)) − Γ_z‖²``;
    ``adversarial_weight`` is λ1 and ``classifier_weight`` λ2 (Eq. 3.7 calls them Λ1, Λ2).
    ``reconstruction`` replaces the first term's value (e.g. its class-balanced form).
    """
    return (
        (reconstruction_loss(x_rec, x_org) if reconstruction is None else reconstruction)
        + adversarial_weight * _mean_sq_norm(d_fake - 1.0)
        + classifier_weight * _mean_sq_norm(c_fake - target_fake)
    )
