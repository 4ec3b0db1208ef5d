"""GL-GAN's ablations (Wang et al., SDM 2020): Auto-only (§4.3) and the traditional autoencoder (§5.1).

Both run GL-GAN's own first module (:func:`glgan.autoencoder.pretrain_and_interpolate`: pretrain the
autoencoder, encode, SMOTE on the minority codes) and decode the synthetic codes with the decoder Q
instead of training a GAN. They share GL-GAN's autoencoder hyperparameters, names and defaults.
"""

from __future__ import annotations

from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import Substitution
from imblearn.utils._docstring import _random_state_docstring

from glgan.latent_sampler import AUTOENCODER_PARAMETER_CONSTRAINTS, CLUSTERING_PARAMETER_CONSTRAINTS, LatentSMOTESampler

__all__ = ["AutoOnly", "PlainAE"]

_COMMON_PARAMETERS = """latent_dim : int, default=16
        Width of the latent code.
    hidden_dims : list or tuple of int, default=(128,)
        Hidden widths of the encoder E (the decoder Q mirrors them).
    ae_epochs : int, default=100
        Autoencoder training epochs.
    batch_size : int, default=128
        Minibatch size (capped at the number of rows).
    ae_learning_rate : float, default=1e-3
        Adam learning rate of the autoencoder (betas 0.9, 0.999).
    weight_decay : float, default=1e-5
        Λ2 of Eq. 3.3: weight of the regulariser ``R(θ) = ½‖θ‖²`` (Adam weight decay)."""

_TAIL_PARAMETERS = """k_neighbors : int, default=5
        Neighbours of latent SMOTE, clipped to ``n_minority - 1``. With a single minority row every
        synthetic code is a copy of its code (a warning says so).
    output_activation : {"auto", "sigmoid", "linear"}, default="auto"
        Last activation of Q. "sigmoid" needs X in [0, 1]; "auto" picks it when X lies in [0, 1] and
        "linear" otherwise.
    variant : {"balanced", "paper"}, default="balanced"
        Sets ``balanced_reconstruction``, ``ae_min_steps`` (and AutoOnly's ``separation_margin``) when
        they are None, exactly as for :class:`glgan.GLGAN`.
    balanced_reconstruction : bool or None, default=None
        Eq. 3.1 averaged per class ("paper": False, "balanced": True).
    ae_min_steps : int or None, default=None
        Train the autoencoder for at least this many steps ("paper": 0, "balanced": 800).
    max_epoch_rows : int or None, default=8192
        The training budget, exactly as for :class:`glgan.GLGAN`: on more rows than this, each epoch
        visits a fresh random subset of this many rows, so the fit's cost stops growing with n.
    device : {"auto", "cpu", "cuda"} or torch.device, default="auto"
        Where to train; "auto" uses CUDA when available.
    n_threads : int or None, default=1
        torch threads during the fit (the caller's setting is restored); None keeps torch's setting.
    verbose : bool, default=False
        Show tqdm progress bars."""

_ATTRIBUTES = """sampling_strategy_ : dict
        ``{class_label: n_samples_to_generate}``.
    history_ : dict
        Per grown class, ``{"autoencoder": per-epoch loss}``.
    models_ : dict of :class:`glgan.latent_model.LatentModel`
        Per grown class: the autoencoder and the latent codes (for ``sample`` and :mod:`glgan.diagnostics`).
    spread_ratio_ : dict
        Per grown class, the RMS spread of its synthetic rows over that of its real rows.
    device_ : torch.device
        The device used.
    n_features_in_ : int
        Number of features seen during ``fit_resample``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature names seen during ``fit_resample`` (string names only)."""


class _DecodeLatentSMOTE(LatentSMOTESampler):
    """Synthetic rows = ``Q(Z_syn)``: latent SMOTE decoded by the pretrained decoder."""

    def _generate(self, X, minority_mask, n_synthetic, seed, out_activation, desc):
        latent = self._latent_set(X, minority_mask, n_synthetic, seed, out_activation, f"{desc} autoencoder")
        return latent, latent.autoencoder.decoder, {"autoencoder": latent.loss_history}


@Substitution(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    random_state=_random_state_docstring,
    common=_COMMON_PARAMETERS,
    tail=_TAIL_PARAMETERS,
    attributes=_ATTRIBUTES,
)
class AutoOnly(_DecodeLatentSMOTE):
    """Auto-only ablation of GL-GAN (§4.3): clustering autoencoder + latent SMOTE, decoded by Q.

    The autoencoder is trained with GL-GAN's Eq. 3.3 (reconstruction, Eq. 3.1, plus Λ1 times the
    clustering loss, Eq. 3.2, plus Λ2 weight decay); SMOTE interpolates the minority latent codes and
    the decoder Q maps the synthetic codes back to feature space. No GAN. Classes to grow are handled
    one-vs-rest, as in :class:`glgan.GLGAN`.

    Parameters
    ----------
    {sampling_strategy}

    {random_state}

    {common}
    clustering_weight : float, default=1.0
        Λ1 of Eq. 3.3, the weight of the clustering loss.
    minority_scatter_weight : float, default=1.0
        λ1 of Eq. 3.2, the weight of the minority-cluster scatter.
    separation_weight : float, default=1.0
        λ2 of Eq. 3.2, the weight of the (subtracted) squared distance between the cluster means.
    scale_invariant_clustering : bool, default=True
        Evaluate Eq. 3.2 on normalised latent codes (scale- and shift-free, bounded below) instead of
        the raw codes.
    separation_margin : float or None, default=None
        Switch Eq. 3.2 off while the latent class means are this many pooled within-class RMS spreads
        apart ("paper": never; "balanced": 0.5).
    {tail}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    glgan.GLGAN : the full method.
    PlainAE : the same without the clustering loss.
    """

    _parameter_constraints = {**AUTOENCODER_PARAMETER_CONSTRAINTS, **CLUSTERING_PARAMETER_CONSTRAINTS}

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        latent_dim=16,
        hidden_dims=(128,),
        ae_epochs=100,
        batch_size=128,
        ae_learning_rate=1e-3,
        clustering_weight=1.0,
        weight_decay=1e-5,
        minority_scatter_weight=1.0,
        separation_weight=1.0,
        scale_invariant_clustering=True,
        separation_margin=None,
        k_neighbors=5,
        output_activation="auto",
        variant="balanced",
        balanced_reconstruction=None,
        ae_min_steps=None,
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
        self.batch_size = batch_size
        self.ae_learning_rate = ae_learning_rate
        self.clustering_weight = clustering_weight
        self.weight_decay = weight_decay
        self.minority_scatter_weight = minority_scatter_weight
        self.separation_weight = separation_weight
        self.scale_invariant_clustering = scale_invariant_clustering
        self.separation_margin = separation_margin
        self.k_neighbors = k_neighbors
        self.output_activation = output_activation
        self.variant = variant
        self.balanced_reconstruction = balanced_reconstruction
        self.ae_min_steps = ae_min_steps
        self.max_epoch_rows = max_epoch_rows
        self.device = device
        self.n_threads = n_threads
        self.verbose = verbose


@Substitution(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    random_state=_random_state_docstring,
    common=_COMMON_PARAMETERS,
    tail=_TAIL_PARAMETERS,
    attributes=_ATTRIBUTES,
)
class PlainAE(_DecodeLatentSMOTE):
    """Traditional-autoencoder ablation (§5.1, Figure 5a): reconstruction-only AE + latent SMOTE.

    :class:`AutoOnly` with Eq. 3.2 removed from Eq. 3.3: the autoencoder minimises the reconstruction
    loss (Eq. 3.1) plus Λ2 weight decay, so nothing keeps minority and majority codes apart before SMOTE
    interpolates the minority codes; the decoder Q maps them back.

    Parameters
    ----------
    {sampling_strategy}

    {random_state}

    {common}
    {tail}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    AutoOnly : the same with GL-GAN's clustering loss.
    glgan.GLGAN : the full method.
    """

    _clustering = False
    _parameter_constraints = dict(AUTOENCODER_PARAMETER_CONSTRAINTS)

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        latent_dim=16,
        hidden_dims=(128,),
        ae_epochs=100,
        batch_size=128,
        ae_learning_rate=1e-3,
        weight_decay=1e-5,
        k_neighbors=5,
        output_activation="auto",
        variant="balanced",
        balanced_reconstruction=None,
        ae_min_steps=None,
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
        self.batch_size = batch_size
        self.ae_learning_rate = ae_learning_rate
        self.weight_decay = weight_decay
        self.k_neighbors = k_neighbors
        self.output_activation = output_activation
        self.variant = variant
        self.balanced_reconstruction = balanced_reconstruction
        self.ae_min_steps = ae_min_steps
        self.max_epoch_rows = max_epoch_rows
        self.device = device
        self.n_threads = n_threads
        self.verbose = verbose
