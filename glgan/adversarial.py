"""Algorithm 1, lines 5-15 of GL-GAN: the rounds of discriminator, classifier and generator epochs."""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from glgan.losses import class_balanced_mean, classifier_loss, discriminator_loss, generator_loss, row_sq_norm
from glgan.networks import AdversarialNetworks, real_probability
from glgan.torch_utils import EpochLosses, adam, epochs_bar

__all__ = ["train_adversarial"]

_GAN_BETAS = (0.5, 0.999)  # the usual GAN Adam setting (DCGAN; IBM/BAGAN balancing_gan.py uses beta_1=0.5)


def _first_sections(order: torch.Tensor, sections: int, first: int):
    """The first ``first`` of ``torch.tensor_split(order, sections)``, made lazily (one view per step)."""
    size, larger = divmod(len(order), sections)
    start = 0
    for i in range(first):
        stop = start + size + (i < larger)
        yield order[start:stop]
        start = stop


def _improved(loss: float, best: float, tol: float) -> bool:
    return loss < best - tol * abs(best) if math.isfinite(best) else True


def train_adversarial(
    X: torch.Tensor,
    Z: torch.Tensor,
    is_minority: torch.Tensor,
    nets: AdversarialNetworks,
    *,
    max_rounds: int,
    discriminator_epochs: int,
    classifier_epochs: int,
    generator_epochs: int,
    batch_size: int,
    lr: float,
    synthetic_weight: float,
    adversarial_weight: float,
    classifier_weight: float,
    patience: int | None,
    tol: float,
    generator: torch.Generator,
    balanced_real_terms: bool = False,
    max_epoch_rows: int | None = None,
    verbose: bool = False,
    desc: str = "GL-GAN",
) -> dict[str, list[float]]:
    """Algorithm 1, lines 5-15: rounds of D-, C- and G-epochs until convergence or ``max_rounds``.

    ``Z`` is the balanced latent set ``Z_maj ∪ Z_min ∪ Z_syn`` whose first ``len(X)`` rows are ``E(X)``
    (row-aligned with ``X``), ``is_minority`` its bool labels; the one-hot labels Γ (column 0 = rest,
    column 1 = minority) are built per minibatch, so nothing but ``Z`` and the shuffles grows with n.
    One epoch visits every code of ``Z`` once in ``ceil(|Z| / batch_size)`` minibatches, each paired with
    an equal share of the real rows.
    With ``max_epoch_rows`` (outside the paper) and more real rows than that, an epoch stops after the
    minibatches that pair about ``max_epoch_rows`` real rows (with ``Z`` ≈ 2n codes, about
    ``2 * max_epoch_rows / batch_size`` of them): each epoch is a fresh random subset, so a round's cost
    stops growing with n. The minibatches are the first ones of the full epoch's, so below that size
    nothing changes.
    Convergence: the round's mean generator loss (Eq. 3.6) has not improved on the best so far by a
    relative ``tol`` for ``patience`` consecutive rounds (``patience=None`` always runs ``max_rounds``).

    With ``balanced_real_terms`` (outside the paper) the real-row terms of Eqs. 3.4 and 3.5 are
    class-balanced: each step adds the minority's real rows (all, or a random ``batch_size`` of them) and
    the two classes weigh half each (:func:`glgan.losses.class_balanced_mean`). As printed, D sees real
    rows that are ~99 % majority against a balanced ``G(Z)``, so it learns "minority-looking = fake" and
    G's adversarial term pushes the synthetic minority towards the majority.
    """
    D, C, G = nets.discriminator, nets.classifier, nets.generator
    n_org, n_z = len(X), len(Z)
    n_splits = max(1, math.ceil(n_z / batch_size))
    n_steps = n_splits  # each of an epoch's minibatches pairs about n_org / n_splits real rows
    if max_epoch_rows is not None and n_org > max_epoch_rows:
        n_steps = min(n_splits, math.ceil(max_epoch_rows * n_splits / n_org))

    def targets(idx):
        return nn.functional.one_hot(is_minority[idx].long(), 2).to(X.dtype)

    opt = {
        "discriminator": adam(D.parameters(), lr=lr, betas=_GAN_BETAS),
        "classifier": adam(C.parameters(), lr=lr, betas=_GAN_BETAS),
        "generator": adam(G.parameters(), lr=lr, betas=_GAN_BETAS),
    }

    def batches():
        z_order = torch.randperm(n_z, generator=generator).to(Z.device)
        x_order = torch.randperm(n_org, generator=generator).to(Z.device)
        return zip(_first_sections(z_order, n_splits, n_steps), _first_sections(x_order, n_splits, n_steps))

    def step(name, loss, losses):
        opt[name].zero_grad(set_to_none=True)
        loss.backward()
        opt[name].step()
        losses.add(loss)

    def mean_loss(losses):
        return float(np.mean(losses.values()))

    real_minority = torch.nonzero(is_minority[:n_org]).flatten()

    def minority_pick():
        """The minority's real rows for a class-balanced term: all, or a random ``batch_size`` of them."""
        return real_minority[torch.randperm(len(real_minority), generator=generator)[:batch_size].to(Z.device)]

    def real_rows(xi):
        """The real rows of a D or C step: ``xi``, or (``balanced_real_terms``) its majority rows followed
        by :func:`minority_pick`; with the two groups' sizes, which the class-balanced mean splits by."""
        if not balanced_real_terms:
            return xi, None
        majority, minority = xi[~is_minority[xi]], minority_pick()
        return torch.cat([majority, minority]), (len(majority), len(minority))

    def one_pass(net, real, fake):
        """``net`` (D's "real" probability, or C) on the real rows and ``G(z)`` in one forward pass: the
        values of two passes, up to the order of floating-point sums (docs/REPRODUCTION.md §12)."""
        return net(torch.cat([real, fake])).split([len(real), len(fake)])

    def discriminator_epoch():
        losses = EpochLosses(f"{desc} discriminator loss")
        for zi, xi in batches():
            with torch.no_grad():
                fake = G(Z[zi])
            rows, sizes = real_rows(xi)
            d_real, d_fake = one_pass(lambda x: real_probability(D, x), X[rows], fake)
            if balanced_real_terms:
                real = class_balanced_mean(*(d_real - 1.0).pow(2).split(sizes))
                loss = real + synthetic_weight * d_fake.pow(2).mean()
            else:
                loss = discriminator_loss(d_real, d_fake, synthetic_weight=synthetic_weight)
            step("discriminator", loss, losses)
        return mean_loss(losses)

    def classifier_epoch():
        losses = EpochLosses(f"{desc} classifier loss")
        for zi, xi in batches():
            with torch.no_grad():
                fake = G(Z[zi])
            rows, sizes = real_rows(xi)
            c_real, c_fake = one_pass(C, X[rows], fake)
            if balanced_real_terms:
                loss = (class_balanced_mean(*row_sq_norm(c_real - targets(rows)).split(sizes))
                        + synthetic_weight * row_sq_norm(c_fake - targets(zi)).mean())
            else:
                loss = classifier_loss(c_real, targets(rows), c_fake, targets(zi), synthetic_weight=synthetic_weight)
            step("classifier", loss, losses)
        return mean_loss(losses)

    def generator_epoch():
        losses = EpochLosses(f"{desc} generator loss")
        for zi, _ in batches():
            paired = zi < n_org  # codes of real rows: Eq. 3.6's reconstruction term
            reconstruction = None
            if balanced_real_terms:
                # G's majority reconstructions are rows of G(Z[zi]); the minority's real codes join its pass.
                majority, pick = paired & ~is_minority[zi], minority_pick()
                fake, g_min = G(torch.cat([Z[zi], Z[pick]])).split([len(zi), len(pick)])
                reconstruction = class_balanced_mean(
                    row_sq_norm(fake[majority] - X[zi[majority]]), row_sq_norm(g_min - X[pick])
                )
            else:
                fake = G(Z[zi])
            loss = generator_loss(
                fake[paired], X[zi[paired]], real_probability(D, fake), C(fake), targets(zi),
                adversarial_weight=adversarial_weight, classifier_weight=classifier_weight,
                reconstruction=reconstruction,
            )
            step("generator", loss, losses)
        return mean_loss(losses)

    history: dict[str, list[float]] = {"discriminator": [], "classifier": [], "generator": []}
    best, wait = math.inf, 0
    bar = epochs_bar(max_rounds, verbose, desc)
    for _ in bar:
        history["discriminator"].append(np.mean([discriminator_epoch() for _ in range(discriminator_epochs)]))
        history["classifier"].append(np.mean([classifier_epoch() for _ in range(classifier_epochs)]))
        for net in (D, C):  # G's epochs train G only
            net.requires_grad_(False)
        g_loss = float(np.mean([generator_epoch() for _ in range(generator_epochs)]))
        for net in (D, C):
            net.requires_grad_(True)
        history["generator"].append(g_loss)
        bar.set_postfix(D=f"{history['discriminator'][-1]:.3g}", C=f"{history['classifier'][-1]:.3g}", G=f"{g_loss:.3g}")
        if _improved(g_loss, best, tol):
            best, wait = g_loss, 0
        else:
            wait += 1
            if patience is not None and wait >= patience:
                break
    for net in (D, C, G):
        net.eval()
    return {k: [float(v) for v in vals] for k, vals in history.items()}
