"""GL-GAN (Wang, Wang, Fan, Liu, Tang, SDM 2020) as an imbalanced-learn over-sampler.

Also holds :class:`LatentSMOTESampler`, the base that GL-GAN and its ablations ``baselines.AutoOnly`` and
``baselines.PlainAE`` share: input checks, one-vs-rest over the classes to grow, seeding, the autoencoder
hyperparameters, and assembling ``X ∪ synthetic``.
"""

from __future__ import annotations

import math
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import Substitution
from imblearn.utils._docstring import _random_state_docstring
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted
from sklearn.utils._param_validation import Interval, StrOptions
from torch import nn
from torch.profiler import record_function

from glgan.autoencoder import AutoencoderSettings, LatentSet, forward_in_chunks, pretrain_and_interpolate
from glgan.diagnostics import COLLAPSE_SPREAD_RATIO, fitted_model, spread_ratio
from glgan.latent_model import LatentModel
from glgan.losses import class_balanced_mean, classifier_loss, discriminator_loss, generator_loss, row_sq_norm
from glgan.networks import AdversarialNetworks, init_adversarial_networks, real_probability
from glgan.sampler_contract import append_synthetic, check_sampler_input, room_for_synthetic, to_dense
from glgan.torch_utils import (
    EpochLosses, as_tensor, check_all_finite, epochs_bar, resolve_device, seed_from, seeded, torch_threads,
)

__all__ = ["GLGAN", "LatentSMOTESampler", "VARIANTS", "train_adversarial"]

_positive_int = [Interval(Integral, 1, None, closed="left")]
_non_negative = [Interval(Real, 0, None, closed="left")]
_positive = [Interval(Real, 0, None, closed="neither")]

#: What ``variant`` sets for each parameter left at None. "paper" is the method as printed (with the
#: scale-invariant Eq. 3.2, without which it diverges); "balanced" adds the departures that stop the
#: minority from collapsing (docs/REPRODUCTION.md, "GL-GAN's synthetic samples").
VARIANTS = {
    "paper": {"balanced_reconstruction": False, "separation_margin": math.inf, "ae_min_steps": 0,
              "balanced_real_terms": False, "adversarial_weight": 1.0, "classifier_weight": 1.0},
    "balanced": {"balanced_reconstruction": True, "separation_margin": 0.5, "ae_min_steps": 1000,
                 "balanced_real_terms": True, "adversarial_weight": 0.1, "classifier_weight": 0.1},
}

#: Constraints of the autoencoder + latent-SMOTE hyperparameters (GLGAN, AutoOnly, PlainAE).
AUTOENCODER_PARAMETER_CONSTRAINTS = {
    **BaseOverSampler._parameter_constraints,
    "latent_dim": _positive_int,
    "hidden_dims": ["array-like"],  # a list, tuple, array, or the ListConfig Hydra passes from a yaml list
    "ae_epochs": _positive_int,
    "batch_size": _positive_int,
    "ae_learning_rate": _positive,
    "weight_decay": _non_negative,
    "k_neighbors": _positive_int,
    "output_activation": [StrOptions({"auto", "sigmoid", "linear"})],
    "device": [StrOptions({"auto", "cpu", "cuda"}), torch.device],
    "n_threads": [Interval(Integral, 1, None, closed="left"), None],
    "verbose": ["boolean"],
    "variant": [StrOptions(set(VARIANTS))],
    "balanced_reconstruction": ["boolean", None],
    "ae_min_steps": [Interval(Integral, 0, None, closed="left"), None],
    "max_epoch_rows": [Interval(Integral, 1, None, closed="left"), None],
}
#: Constraints of Eq. 3.2/3.3's clustering weights (GLGAN, AutoOnly).
CLUSTERING_PARAMETER_CONSTRAINTS = {
    "clustering_weight": _non_negative,
    "minority_scatter_weight": _non_negative,
    "separation_weight": _non_negative,
    "scale_invariant_clustering": ["boolean"],
    "separation_margin": [Interval(Real, 0, None, closed="right"), None],  # inf: never switched off
}

_GAN_BETAS = (0.5, 0.999)  # the usual GAN Adam setting (DCGAN; IBM/BAGAN balancing_gan.py uses beta_1=0.5)


class LatentSMOTESampler(BaseOverSampler):
    """Base of the samplers that pretrain GL-GAN's autoencoder and run SMOTE in its latent space.

    Subclasses define ``__init__`` (storing the hyperparameters named in
    :data:`AUTOENCODER_PARAMETER_CONSTRAINTS`), ``_parameter_constraints`` and :meth:`_generate`.
    Each class that ``sampling_strategy_`` asks to grow is treated as the minority against all other rows
    (one model per such class, seeded in sorted class order from ``random_state``); with two classes this
    is exactly the paper's binary setting.
    """

    _clustering = True  # whether Eq. 3.2 is part of the autoencoder loss

    def _check_X_y(self, X, y, accept_sparse=None):
        return check_sampler_input(self, X, y, accept_sparse=True)

    def _hidden_dims(self) -> tuple[int, ...]:
        dims = tuple(self.hidden_dims)
        if not all(isinstance(h, Integral) and not isinstance(h, bool) and h >= 1 for h in dims):
            raise ValueError(f"hidden_dims must be a list/tuple of positive integers, got {self.hidden_dims!r}.")
        return tuple(int(h) for h in dims)

    def _output_activation(self, X: np.ndarray) -> type[nn.Module] | None:
        in_unit_interval = bool(X.min() >= 0.0 and X.max() <= 1.0)
        if self.output_activation == "sigmoid" and not in_unit_interval:
            raise ValueError(
                "output_activation='sigmoid' can only produce values in (0, 1), but X has values outside "
                "[0, 1]. Min-max scale X to [0, 1] first, or use output_activation='linear' or 'auto'."
            )
        if self.output_activation == "linear" or not in_unit_interval:
            return None
        return nn.Sigmoid

    def _resolved(self, name: str):
        """A parameter's value, or what ``variant`` sets for it when it is None."""
        value = getattr(self, name, None)
        return VARIANTS[self.variant][name] if value is None else value

    def _autoencoder_settings(self) -> AutoencoderSettings:
        margin = self._resolved("separation_margin") if self._clustering else math.inf
        return AutoencoderSettings(
            hidden_dims=self._hidden_dims(), latent_dim=self.latent_dim, epochs=self.ae_epochs,
            batch_size=self.batch_size, learning_rate=self.ae_learning_rate, weight_decay=self.weight_decay,
            k_neighbors=self.k_neighbors,
            clustering_weight=self.clustering_weight if self._clustering else 0.0,
            minority_scatter_weight=getattr(self, "minority_scatter_weight", 1.0),
            separation_weight=getattr(self, "separation_weight", 1.0),
            scale_invariant_clustering=getattr(self, "scale_invariant_clustering", True),
            separation_margin=None if math.isinf(margin) else margin,
            balanced_reconstruction=self._resolved("balanced_reconstruction"),
            min_steps=self._resolved("ae_min_steps"),
            max_epoch_rows=self.max_epoch_rows,
        )

    def _latent_set(self, X, minority_mask, n_synthetic, seed, out_activation, desc) -> LatentSet:
        """Algorithm 1, lines 1-4 with this sampler's autoencoder hyperparameters."""
        return pretrain_and_interpolate(
            X, minority_mask, n_synthetic, self._autoencoder_settings(),
            seed=seed, out_activation=out_activation, verbose=self.verbose, desc=desc,
        )

    def _generate(self, X, minority_mask, n_synthetic, seed, out_activation, desc):
        """Train on one class; return ``(latent_set, network, history)``: its rows are ``network(latent_set.Z_syn)``."""
        raise NotImplementedError

    def _fit_resample(self, X, y):
        with torch_threads(self.n_threads):
            return self._train_and_generate(X, y)

    def sample(self, n_samples: int, label=None, random_state=None) -> np.ndarray:
        """``n_samples`` new synthetic rows of a grown class from the fitted model (like CTGAN's ``sample``).

        New latent SMOTE codes between the class's real codes, mapped by the fitted network (G for
        GL-GAN, the decoder Q for the ablations). ``label`` may be omitted when one class was grown;
        ``random_state`` seeds the interpolation (None: drawn from the sampler's ``random_state``).
        """
        check_is_fitted(self, "models_")
        if not isinstance(n_samples, Integral) or n_samples < 1:
            raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
        model = fitted_model(self, label)
        seed = seed_from(self.random_state if random_state is None else random_state)
        with torch_threads(self.n_threads):
            return model.sample(int(n_samples), seed)

    def _warn_if_collapsed(self, label, rows: np.ndarray, real: np.ndarray) -> None:
        ratio = spread_ratio(rows, real) if len(real) > 1 and len(rows) > 1 else math.nan
        self.spread_ratio_[label] = ratio
        if ratio < COLLAPSE_SPREAD_RATIO:
            warnings.warn(
                f"{type(self).__name__}: the synthetic rows of class {label} spread only {ratio:.0%} as far "
                f"as its real rows (RMS distance to their mean): the samples have collapsed. "
                "glgan.diagnostics.sample_quality measures more; variant='balanced' is designed against this.",
                UserWarning, stacklevel=4,
            )

    def _train_and_generate(self, X, y):
        X_dense = to_dense(X)
        self._hidden_dims()  # fail early on a bad architecture
        out_activation = self._output_activation(X_dense)
        self.device_ = resolve_device(self.device)
        X_t = as_tensor(X_dense, self.device_)
        rng = check_random_state(self.random_state)
        self.history_, self.models_, self.spread_ratio_ = {}, {}, {}
        grown = [(label, int(n)) for label, n in sorted(self.sampling_strategy_.items()) if n > 0]
        if not grown:
            return X, y
        X_res, tail = room_for_synthetic(X, sum(n for _, n in grown))
        start = 0
        for label, n_synthetic in grown:
            seed = seed_from(rng)
            mask = torch.as_tensor(y == label, device=self.device_)
            with seeded(seed, self.device_):
                latent, network, history = self._generate(
                    X_t, mask, n_synthetic, seed, out_activation, f"{type(self).__name__}[{label}]"
                )
            rows = tail[start : start + n_synthetic]
            with record_function("glgan.decode"):
                forward_in_chunks(network, latent.Z_syn, out=torch.from_numpy(rows))
            check_all_finite(rows, f"synthetic rows for class {label!r}")
            self.history_[label] = history
            self.models_[label] = LatentModel(label, latent, network, self.k_neighbors, y == label)
            self._warn_if_collapsed(label, rows, X_dense[y == label])
            start += n_synthetic
        y_new = np.concatenate([np.full(n, label, dtype=y.dtype) for label, n in grown])
        if X_res is None:
            return append_synthetic(X, y, tail, y_new)
        return X_res, np.concatenate([y, y_new])


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
        "discriminator": torch.optim.Adam(D.parameters(), lr=lr, betas=_GAN_BETAS),
        "classifier": torch.optim.Adam(C.parameters(), lr=lr, betas=_GAN_BETAS),
        "generator": torch.optim.Adam(G.parameters(), lr=lr, betas=_GAN_BETAS),
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

    def balanced_real_term(per_row, xi):
        """``per_row(idx)`` over real rows ``idx``, averaged class-balanced: the batch's majority rows and
        the minority's real rows (all, or a random ``batch_size`` of them) weigh half each."""
        pick = torch.randperm(len(real_minority), generator=generator)[:batch_size].to(Z.device)
        return class_balanced_mean(per_row(xi[~is_minority[xi]]), per_row(real_minority[pick]))

    def discriminator_epoch():
        losses = EpochLosses(f"{desc} discriminator loss")
        for zi, xi in batches():
            with torch.no_grad():
                fake = G(Z[zi])
            if balanced_real_terms:
                real = balanced_real_term(lambda i: (real_probability(D, X[i]) - 1.0).pow(2), xi)
                loss = real + synthetic_weight * real_probability(D, fake).pow(2).mean()
            else:
                loss = discriminator_loss(
                    real_probability(D, X[xi]), real_probability(D, fake), synthetic_weight=synthetic_weight
                )
            step("discriminator", loss, losses)
        return mean_loss(losses)

    def classifier_epoch():
        losses = EpochLosses(f"{desc} classifier loss")
        for zi, xi in batches():
            with torch.no_grad():
                fake = G(Z[zi])
            if balanced_real_terms:
                real = balanced_real_term(lambda i: row_sq_norm(C(X[i]) - targets(i)), xi)
                loss = real + synthetic_weight * row_sq_norm(C(fake) - targets(zi)).mean()
            else:
                loss = classifier_loss(
                    C(X[xi]), targets(xi), C(fake), targets(zi), synthetic_weight=synthetic_weight
                )
            step("classifier", loss, losses)
        return mean_loss(losses)

    def generator_epoch():
        losses = EpochLosses(f"{desc} generator loss")
        for zi, _ in batches():
            fake = G(Z[zi])
            paired = zi < n_org  # codes of real rows: Eq. 3.6's reconstruction term
            reconstruction = None
            if balanced_real_terms:
                reconstruction = balanced_real_term(lambda i: row_sq_norm(G(Z[i]) - X[i]), zi[paired])
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
        with record_function("glgan.discriminator_epochs"):
            history["discriminator"].append(np.mean([discriminator_epoch() for _ in range(discriminator_epochs)]))
        with record_function("glgan.classifier_epochs"):
            history["classifier"].append(np.mean([classifier_epoch() for _ in range(classifier_epochs)]))
        for net in (D, C):  # G's epochs train G only
            net.requires_grad_(False)
        with record_function("glgan.generator_epochs"):
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


@Substitution(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    random_state=_random_state_docstring,
)
class GLGAN(LatentSMOTESampler):
    """GL-GAN over-sampling: latent SMOTE refined by a GAN (Wang et al., SDM 2020, Algorithm 1).

    1. Pretrain an autoencoder (encoder E, decoder Q) on all rows with Eq. 3.3: the reconstruction loss
       (Eq. 3.1) plus Λ1 times the clustering loss (Eq. 3.2), which draws majority and minority codes
       into two far-apart clusters, plus Λ2 weight decay.
    2. Encode, run SMOTE on the minority codes up to the requested count, and form the balanced latent
       set ``Z = Z_maj ∪ Z_min ∪ Z_syn`` (§3.1.2).
    3. Initialise D and C from E (plus one layer) and G from Q (§3.4), then repeat discriminator epochs
       (Eq. 3.4, least squares), classifier epochs (Eq. 3.5, least squares on one-hot labels) and
       generator epochs (Eq. 3.6 = reconstruction of ``Z_org`` + λ1 adversarial + λ2 classifier term;
       together Eq. 3.7) until convergence.
    4. Return ``X ∪ G(Z_syn)``.

    Several classes to grow (the paper's future work): each is handled as the minority against all
    other rows, with its own model.

    Parameters
    ----------
    {sampling_strategy}

    {random_state}

    latent_dim : int, default=16
        Width of the latent code.
    hidden_dims : list or tuple of int, default=(128,)
        Hidden widths of E (Q, and so G, mirror them).
    ae_epochs : int, default=100
        Autoencoder pretraining epochs (Algorithm 1, line 2).
    gan_epochs : int, default=30
        Maximum number of rounds of Algorithm 1's repeat loop (lines 5-15).
    discriminator_epochs, classifier_epochs, generator_epochs : int, default=1
        Epochs of D, C and G per round (Algorithm 1, lines 6, 9 and 12).
    patience : int or None, default=5
        Stop ("until model convergence") after this many rounds without a relative improvement of
        ``tol`` in the round's generator loss; None runs all ``gan_epochs`` rounds.
    tol : float, default=1e-3
        Relative improvement of the generator loss that resets ``patience``.
    batch_size : int, default=128
        Minibatch size of every network (capped at the number of rows).
    ae_learning_rate : float, default=1e-3
        Adam learning rate of the autoencoder (betas 0.9, 0.999).
    gan_learning_rate : float, default=1e-4
        Adam learning rate of D, C and G (betas 0.5, 0.999).
    clustering_weight : float, default=1.0
        Λ1 of Eq. 3.3, the weight of the clustering loss.
    weight_decay : float, default=1e-5
        Λ2 of Eq. 3.3: weight of the regulariser ``R(θ) = ½‖θ‖²`` (Adam weight decay).
    minority_scatter_weight : float, default=1.0
        λ1 of Eq. 3.2, the weight of the minority-cluster scatter.
    separation_weight : float, default=1.0
        λ2 of Eq. 3.2, the weight of the (subtracted) squared distance between the cluster means.
    scale_invariant_clustering : bool, default=True
        Evaluate Eq. 3.2 on normalised latent codes (scale- and shift-free), which bounds it below.
        False uses the raw codes as printed in the paper; that form is unbounded below and the encoder
        then inflates its codes without limit (measured on USPS: loss -1.2e9 after 100 epochs).
    synthetic_weight : float, default=1.0
        λ of Eqs. 3.4 and 3.5, the weight of the terms on generated samples.
    adversarial_weight : float or None, default=None
        λ1 of Eq. 3.6 (Λ1 of Eq. 3.7), the weight of the generator's adversarial term (the paper gives
        no value; "paper": 1.0, "balanced": 0.1).
    classifier_weight : float or None, default=None
        λ2 of Eq. 3.6 (Λ2 of Eq. 3.7), the weight of the generator's classifier term ("paper": 1.0,
        "balanced": 0.1).
    k_neighbors : int, default=5
        Neighbours of latent SMOTE, clipped to ``n_minority - 1``. With a single minority row every
        synthetic code is a copy of its code (a warning says so).
    output_activation : {{"auto", "sigmoid", "linear"}}, default="auto"
        Last activation of Q and G. "sigmoid" needs X in [0, 1] (min-max scaled); "auto" picks it when
        X lies in [0, 1] and "linear" otherwise.
    variant : {{"balanced", "paper"}}, default="balanced"
        Sets ``adversarial_weight``, ``classifier_weight`` and the four parameters below when they are
        left at None. "paper" trains the losses as printed
        (Eq. 3.2 in its scale-invariant form); its minority collapses on small minorities (synthetic
        spread 3-9 % of the real one on KEEL dev sets). "balanced" makes every real-row term
        class-balanced, stops Eq. 3.2 at a margin, trains the autoencoder for at least 1000 steps and
        weighs Eq. 3.6's adversarial and classifier terms 0.1 (docs/REPRODUCTION.md, "GL-GAN's
        synthetic samples", has the dev measurements).
    balanced_reconstruction : bool or None, default=None
        Eq. 3.1 averaged per class (each class weighs half) instead of over all rows ("paper": False,
        "balanced": True).
    separation_margin : float or None, default=None
        Switch Eq. 3.2 off for a step while the latent class means are at least this many pooled
        within-class RMS spreads apart ("paper": ``inf``, never; "balanced": 0.5).
    ae_min_steps : int or None, default=None
        Train the autoencoder for at least this many optimiser steps, however small the data
        ("paper": 0; "balanced": 1000).
    balanced_real_terms : bool or None, default=None
        Class-balance the real-row terms of Eqs. 3.4, 3.5 and 3.6's reconstruction ("paper": False,
        "balanced": True); as printed, D sees ~99 % majority real rows and pushes G's minority rows
        towards the majority.
    max_epoch_rows : int or None, default=8192
        The training budget (outside the paper, which gives no epochs or budgets). On more rows than
        this, each epoch of the autoencoder visits a fresh random subset of ``max_epoch_rows`` rows
        (``ceil(max_epoch_rows / batch_size)`` = 64 optimiser steps at the defaults) and each epoch of D,
        C and G the codes that pair with as many real rows (about twice as many steps, since the balanced
        latent set holds about 2n codes), so the fit's cost stops growing with n. On at most this many
        rows it changes nothing: the minibatches are exactly those of full epochs. None: full epochs
        however large the data (docs/REPRODUCTION.md, "Speed", has the measurements).
    device : {{"auto", "cpu", "cuda"}} or torch.device, default="auto"
        Where to train; "auto" uses CUDA when available.
    n_threads : int or None, default=1
        torch threads during ``fit_resample`` and ``sample`` (the caller's setting is restored after).
        These networks are small: more threads gain little alone and lose much beside other busy
        processes. None keeps torch's current setting.
    verbose : bool, default=False
        Show tqdm progress bars.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{{class_label: n_samples_to_generate}}``.
    history_ : dict
        Per grown class, the per-epoch ``"autoencoder"`` loss and the per-round ``"discriminator"``,
        ``"classifier"`` and ``"generator"`` losses (the number of rounds run is their length).
    models_ : dict of :class:`glgan.latent_model.LatentModel`
        Per grown class: the trained autoencoder, the generator G and the latent codes, for
        :meth:`sample` and :mod:`glgan.diagnostics`.
    spread_ratio_ : dict
        Per grown class, the RMS spread of its synthetic rows over that of its real rows (a
        ``UserWarning`` is raised when it is below 0.25).
    device_ : torch.device
        The device used.
    n_features_in_ : int
        Number of features seen during ``fit_resample``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature names seen during ``fit_resample`` (string names only).

    See Also
    --------
    baselines.AutoOnly : GL-GAN without the GAN (decoder Q maps the latent SMOTE codes back).
    baselines.PlainAE : AutoOnly without the clustering loss.

    Notes
    -----
    Deterministic on CPU for a fixed ``random_state``; sparse input is densified. Features should be
    scaled (the paper's experiments: min-max to [0, 1] on the training rows). A NaN or infinite loss
    raises :class:`glgan.torch_utils.TrainingDivergedError` instead of returning bad samples.

    References
    ----------
    .. [1] W. Wang, S. Wang, W. Fan, Z. Liu, J. Tang, "Global-and-Local Aware Data Generation for the
       Class Imbalance Problem", SIAM International Conference on Data Mining (SDM), 2020, pp. 307-315.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from glgan import GLGAN
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> X_res, y_res = GLGAN(ae_epochs=5, gan_epochs=2, random_state=0).fit_resample(X, y)
    >>> int((y_res == 1).sum()) == int((y_res == 0).sum())
    True
    """

    _parameter_constraints = {
        **AUTOENCODER_PARAMETER_CONSTRAINTS,
        **CLUSTERING_PARAMETER_CONSTRAINTS,
        "gan_epochs": _positive_int,
        "discriminator_epochs": _positive_int,
        "classifier_epochs": _positive_int,
        "generator_epochs": _positive_int,
        "patience": [Interval(Integral, 1, None, closed="left"), None],
        "tol": _non_negative,
        "gan_learning_rate": _positive,
        "synthetic_weight": _non_negative,
        "adversarial_weight": [*_non_negative, None],
        "classifier_weight": [*_non_negative, None],
        "balanced_real_terms": ["boolean", None],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        latent_dim=16,
        hidden_dims=(128,),
        ae_epochs=100,
        gan_epochs=30,
        discriminator_epochs=1,
        classifier_epochs=1,
        generator_epochs=1,
        patience=5,
        tol=1e-3,
        batch_size=128,
        ae_learning_rate=1e-3,
        gan_learning_rate=1e-4,
        clustering_weight=1.0,
        weight_decay=1e-5,
        minority_scatter_weight=1.0,
        separation_weight=1.0,
        scale_invariant_clustering=True,
        synthetic_weight=1.0,
        adversarial_weight=None,
        classifier_weight=None,
        k_neighbors=5,
        output_activation="auto",
        variant="balanced",
        balanced_reconstruction=None,
        separation_margin=None,
        ae_min_steps=None,
        balanced_real_terms=None,
        max_epoch_rows=8192,
        device="auto",
        n_threads=1,
        verbose=False,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.latent_dim = latent_dim
        self.hidden_dims = hidden_dims
        self.ae_epochs = ae_epochs
        self.gan_epochs = gan_epochs
        self.discriminator_epochs = discriminator_epochs
        self.classifier_epochs = classifier_epochs
        self.generator_epochs = generator_epochs
        self.patience = patience
        self.tol = tol
        self.batch_size = batch_size
        self.ae_learning_rate = ae_learning_rate
        self.gan_learning_rate = gan_learning_rate
        self.clustering_weight = clustering_weight
        self.weight_decay = weight_decay
        self.minority_scatter_weight = minority_scatter_weight
        self.separation_weight = separation_weight
        self.scale_invariant_clustering = scale_invariant_clustering
        self.synthetic_weight = synthetic_weight
        self.adversarial_weight = adversarial_weight
        self.classifier_weight = classifier_weight
        self.k_neighbors = k_neighbors
        self.output_activation = output_activation
        self.variant = variant
        self.balanced_reconstruction = balanced_reconstruction
        self.separation_margin = separation_margin
        self.ae_min_steps = ae_min_steps
        self.balanced_real_terms = balanced_real_terms
        self.max_epoch_rows = max_epoch_rows
        self.device = device
        self.n_threads = n_threads
        self.verbose = verbose

    def _generate(self, X, minority_mask, n_synthetic, seed, out_activation, desc):
        latent = self._latent_set(X, minority_mask, n_synthetic, seed, out_activation, f"{desc} autoencoder")
        nets = init_adversarial_networks(latent.autoencoder, n_classes=2)
        is_minority = torch.cat([minority_mask, minority_mask.new_ones(n_synthetic)])
        history = train_adversarial(
            X, latent.Z, is_minority, nets,
            max_rounds=self.gan_epochs, discriminator_epochs=self.discriminator_epochs,
            classifier_epochs=self.classifier_epochs, generator_epochs=self.generator_epochs,
            batch_size=self.batch_size, lr=self.gan_learning_rate, synthetic_weight=self.synthetic_weight,
            adversarial_weight=self._resolved("adversarial_weight"),
            classifier_weight=self._resolved("classifier_weight"),
            patience=self.patience, tol=self.tol, generator=torch.Generator().manual_seed(seed + 1),
            balanced_real_terms=self._resolved("balanced_real_terms"),
            max_epoch_rows=self.max_epoch_rows, verbose=self.verbose, desc=desc,
        )
        return latent, nets.generator, {"autoencoder": latent.loss_history, **history}
