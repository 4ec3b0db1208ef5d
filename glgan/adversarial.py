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
    steps = _Steps(X, Z, is_minority, nets, batch_size=batch_size, lr=lr, synthetic_weight=synthetic_weight,
                   adversarial_weight=adversarial_weight, classifier_weight=classifier_weight, generator=generator,
                   balanced_real_terms=balanced_real_terms, max_epoch_rows=max_epoch_rows)
    history: dict[str, list[float]] = {"discriminator": [], "classifier": [], "generator": []}
    best, wait = math.inf, 0
    bar = epochs_bar(max_rounds, verbose, desc)
    for _ in bar:
        # Algorithm 1, lines 6-8: D learns real = 1, fake = 0 (Eq. 3.4)
        history["discriminator"].append(np.mean([steps.epoch("discriminator", f"{desc} discriminator loss")
                                                 for _ in range(discriminator_epochs)]))
        # lines 9-11: C learns Γ on real rows and on G(Z) (Eq. 3.5)
        history["classifier"].append(np.mean([steps.epoch("classifier", f"{desc} classifier loss")
                                              for _ in range(classifier_epochs)]))
        # lines 12-14: G learns Eq. 3.6 against D and C, which stay frozen
        for net in (D, C):
            net.requires_grad_(False)
        g_loss = float(np.mean([steps.epoch("generator", f"{desc} generator loss") for _ in range(generator_epochs)]))
        for net in (D, C):
            net.requires_grad_(True)
        history["generator"].append(g_loss)
        bar.set_postfix(D=f"{history['discriminator'][-1]:.3g}", C=f"{history['classifier'][-1]:.3g}", G=f"{g_loss:.3g}")
        # line 15: until G's loss stops improving
        if _improved(g_loss, best, tol):
            best, wait = g_loss, 0
        else:
            wait += 1
            if patience is not None and wait >= patience:
                break
    for net in (D, C, G):
        net.eval()
    return {k: [float(v) for v in vals] for k, vals in history.items()}


class _Steps:
    """One optimiser step per network on a minibatch pair (codes ``zi`` of ``Z``, real rows ``xi`` of ``X``).

    Every network has its own Adam optimiser, and each step changes only that network. With
    ``balanced_real_terms`` the real rows of a step are its majority rows followed by the minority's real
    rows (all, or a random ``batch_size`` of them), and the real terms weigh the two classes half each.
    """

    def __init__(self, X, Z, is_minority, nets: AdversarialNetworks, *, batch_size, lr, synthetic_weight,
                 adversarial_weight, classifier_weight, generator, balanced_real_terms, max_epoch_rows):
        self.X, self.Z, self.is_minority, self.nets = X, Z, is_minority, nets
        self.batch_size, self.rng, self.balanced = batch_size, generator, balanced_real_terms
        self.synthetic_weight = synthetic_weight
        self.adversarial_weight, self.classifier_weight = adversarial_weight, classifier_weight
        self.n_org, self.n_z = len(X), len(Z)
        self.n_splits = max(1, math.ceil(self.n_z / batch_size))
        self.n_steps = self.n_splits  # each of an epoch's minibatches pairs about n_org / n_splits real rows
        if max_epoch_rows is not None and self.n_org > max_epoch_rows:
            self.n_steps = min(self.n_splits, math.ceil(max_epoch_rows * self.n_splits / self.n_org))
        self.real_minority = torch.nonzero(is_minority[:self.n_org]).flatten()
        self.optimisers = {name: adam(net.parameters(), lr=lr, betas=_GAN_BETAS) for name, net in
                           (("discriminator", nets.discriminator), ("classifier", nets.classifier),
                            ("generator", nets.generator))}

    def epoch(self, name: str, description: str) -> float:
        """One epoch of ``name``'s steps over fresh shuffles of ``Z`` and ``X``; its mean loss."""
        losses = EpochLosses(description)
        step = getattr(self, name)
        for zi, xi in self.batches():
            loss = step(zi, xi)
            self.optimisers[name].zero_grad(set_to_none=True)
            loss.backward()
            self.optimisers[name].step()
            losses.add(loss)
        return float(np.mean(losses.values()))

    def batches(self):
        z_order = torch.randperm(self.n_z, generator=self.rng).to(self.Z.device)
        x_order = torch.randperm(self.n_org, generator=self.rng).to(self.Z.device)
        return zip(_first_sections(z_order, self.n_splits, self.n_steps),
                   _first_sections(x_order, self.n_splits, self.n_steps))

    def discriminator(self, zi, xi) -> torch.Tensor:
        """Eq. 3.4: D's "real" probability towards 1 on real rows, towards 0 on G(z)."""
        D = self.nets.discriminator
        rows, sizes = self.real_rows(xi)
        d_real, d_fake = self.one_pass(lambda x: real_probability(D, x), self.X[rows], self.generated(zi))
        return discriminator_loss(d_real, d_fake, synthetic_weight=self.synthetic_weight, class_sizes=sizes)

    def classifier(self, zi, xi) -> torch.Tensor:
        """Eq. 3.5: C towards the one-hot labels Γ on real rows and on G(z)."""
        rows, sizes = self.real_rows(xi)
        c_real, c_fake = self.one_pass(self.nets.classifier, self.X[rows], self.generated(zi))
        return classifier_loss(c_real, self.targets(rows), c_fake, self.targets(zi),
                               synthetic_weight=self.synthetic_weight, class_sizes=sizes)

    def generator(self, zi, xi) -> torch.Tensor:
        """Eq. 3.6: G(z) reconstructs the real rows of real codes, looks real to D and right to C."""
        fake, reconstruction = self.generated_with_reconstruction(zi)
        paired = zi < self.n_org  # codes of real rows: Eq. 3.6's reconstruction term
        return generator_loss(
            fake[paired], self.X[zi[paired]], real_probability(self.nets.discriminator, fake),
            self.nets.classifier(fake), self.targets(zi), adversarial_weight=self.adversarial_weight,
            classifier_weight=self.classifier_weight, reconstruction=reconstruction)

    def targets(self, idx) -> torch.Tensor:
        """The one-hot labels Γ (column 0 = rest, column 1 = minority) of rows ``idx`` of ``Z``."""
        return nn.functional.one_hot(self.is_minority[idx].long(), 2).to(self.X.dtype)

    def generated(self, zi) -> torch.Tensor:
        with torch.no_grad():
            return self.nets.generator(self.Z[zi])

    def minority_pick(self) -> torch.Tensor:
        """The minority's real rows for a class-balanced term: all, or a random ``batch_size`` of them."""
        order = torch.randperm(len(self.real_minority), generator=self.rng)[:self.batch_size]
        return self.real_minority[order.to(self.Z.device)]

    def real_rows(self, xi):
        """A D or C step's real rows and, when class-balanced, the two classes' sizes among them."""
        if not self.balanced:
            return xi, None
        majority, minority = xi[~self.is_minority[xi]], self.minority_pick()
        return torch.cat([majority, minority]), (len(majority), len(minority))

    def generated_with_reconstruction(self, zi):
        """G(Z[zi]) and the class-balanced reconstruction term (``None``: Eq. 3.6's own, from the paired rows).

        Class-balanced, G's majority reconstructions are rows of G(Z[zi]) and the minority's real codes join
        the same forward pass."""
        G, X, Z = self.nets.generator, self.X, self.Z
        if not self.balanced:
            return G(Z[zi]), None
        majority, pick = (zi < self.n_org) & ~self.is_minority[zi], self.minority_pick()
        fake, g_min = G(torch.cat([Z[zi], Z[pick]])).split([len(zi), len(pick)])
        return fake, class_balanced_mean(row_sq_norm(fake[majority] - X[zi[majority]]), row_sq_norm(g_min - X[pick]))

    @staticmethod
    def one_pass(net, real, fake):
        """``net`` on the real rows and ``G(z)`` in one forward pass: the values of two passes, up to the order of
        floating-point sums (docs/REPRODUCTION.md, "Speed")."""
        return net(torch.cat([real, fake])).split([len(real), len(fake)])
