"""GL-GAN (Wang, Wang, Fan, Liu, Tang, SDM 2020) as an imbalanced-learn over-sampler.

The base it shares with its ablations ``baselines.AutoOnly`` and ``baselines.PlainAE`` (input checks,
one-vs-rest over the classes to grow, seeding, the autoencoder hyperparameters, assembling
``X ∪ synthetic``) is :class:`glgan.latent_sampler.LatentSMOTESampler`; Algorithm 1's adversarial loop is
:func:`glgan.adversarial.train_adversarial`. Both names, :data:`VARIANTS` and the parameter constraints
can still be imported from here.
"""

from __future__ import annotations

from numbers import Integral

import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import Substitution
from imblearn.utils._docstring import _random_state_docstring
from sklearn.utils._param_validation import Interval, StrOptions

from glgan.adversarial import train_adversarial
from glgan.latent_sampler import (  # noqa: F401  (the constraints and VARIANTS: re-exported)
    AUTOENCODER_PARAMETER_CONSTRAINTS, CLUSTERING_PARAMETER_CONSTRAINTS, VARIANTS, LatentSMOTESampler,
    _non_negative, _positive, _positive_int,
)
from glgan.networks import init_adversarial_networks

__all__ = ["GLGAN", "LatentSMOTESampler", "VARIANTS", "train_adversarial"]


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
    patience : int, None or "auto", default="auto"
        Stop ("until model convergence") after this many rounds without a relative improvement of
        ``tol`` in the round's generator loss; None runs all ``gan_epochs`` rounds. "auto": set by
        ``variant`` ("paper": 5, "balanced": 3).
    tol : float or "auto", default="auto"
        Relative improvement of the generator loss that resets ``patience`` ("auto": "paper" 1e-3,
        "balanced" 1e-2; the balanced variant's rule was chosen on the KEEL dev list for speed at
        equal quality, docs/REPRODUCTION.md §6.8).
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
        left at None, and ``patience`` and ``tol`` when they are "auto". "paper" trains the losses as printed
        (Eq. 3.2 in its scale-invariant form); its minority collapses on small minorities (synthetic
        spread 3-9 % of the real one on KEEL dev sets). "balanced" makes every real-row term
        class-balanced, stops Eq. 3.2 at a margin, trains the autoencoder for at least 800 steps,
        weighs Eq. 3.6's adversarial and classifier terms 0.1 and stops the rounds sooner (docs/REPRODUCTION.md,
        §6.5-6.8, has the dev measurements).
    balanced_reconstruction : bool or None, default=None
        Eq. 3.1 averaged per class (each class weighs half) instead of over all rows ("paper": False,
        "balanced": True).
    separation_margin : float or None, default=None
        Switch Eq. 3.2 off for a step while the latent class means are at least this many pooled
        within-class RMS spreads apart ("paper": ``inf``, never; "balanced": 0.5).
    ae_min_steps : int or None, default=None
        Train the autoencoder for at least this many optimiser steps, however small the data
        ("paper": 0; "balanced": 800).
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
        however large the data (docs/REPRODUCTION.md §6.9 has the measurements).
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
        "patience": [Interval(Integral, 1, None, closed="left"), None, StrOptions({"auto"})],
        "tol": [*_non_negative, StrOptions({"auto"})],
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
        patience="auto",
        tol="auto",
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
            patience=self._resolved("patience"), tol=self._resolved("tol"),
            generator=torch.Generator().manual_seed(seed + 1),
            balanced_real_terms=self._resolved("balanced_real_terms"),
            max_epoch_rows=self.max_epoch_rows, verbose=self.verbose, desc=desc,
        )
        return latent, nets.generator, {"autoencoder": latent.loss_history, **history}
