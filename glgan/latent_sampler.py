"""The base that GL-GAN and its ablations ``baselines.AutoOnly`` and ``baselines.PlainAE`` share.

:class:`LatentSMOTESampler`: input checks, one-vs-rest over the classes to grow, seeding, the autoencoder
hyperparameters, and assembling ``X ∪ synthetic``; :data:`VARIANTS` and the parameter constraints that
these samplers declare.
"""

from __future__ import annotations

import math
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted
from sklearn.utils._param_validation import Interval, StrOptions
from torch import nn

from glgan.autoencoder import AutoencoderSettings, LatentSet, forward_in_chunks, pretrain_and_interpolate
from glgan.diagnostics import COLLAPSE_SPREAD_RATIO, fitted_model, spread_ratio
from glgan.latent_model import LatentModel
from glgan.sampler_contract import append_synthetic, room_for_synthetic, to_dense
from glgan.torch_sampler import TorchSamplerMixin
from glgan.torch_utils import (
    DEVICE_OPTIONS, as_tensor, check_all_finite, resolve_device, seed_from, seeded, torch_threads,
)

__all__ = ["AUTOENCODER_PARAMETER_CONSTRAINTS", "CLUSTERING_PARAMETER_CONSTRAINTS", "LatentSMOTESampler",
           "VARIANTS"]

_positive_int = [Interval(Integral, 1, None, closed="left")]
_non_negative = [Interval(Real, 0, None, closed="left")]
_positive = [Interval(Real, 0, None, closed="neither")]

#: What ``variant`` sets for each parameter left at None. "paper" is the method as printed (with the
#: scale-invariant Eq. 3.2, without which it diverges); "balanced" adds the departures that stop the
#: minority from collapsing (docs/REPRODUCTION.md §6.5-6.6).
VARIANTS = {
    "paper": {"balanced_reconstruction": False, "separation_margin": math.inf, "ae_min_steps": 0,
              "balanced_real_terms": False, "adversarial_weight": 1.0, "classifier_weight": 1.0,
              "patience": 5, "tol": 1e-3},
    "balanced": {"balanced_reconstruction": True, "separation_margin": 0.5, "ae_min_steps": 800,
                 "balanced_real_terms": True, "adversarial_weight": 0.1, "classifier_weight": 0.1,
                 "patience": 3, "tol": 1e-2},
}
#: Parameters whose "set by ``variant``" value is "auto", because None means something else for them
#: (``patience=None``: never stop early).
_AUTO = frozenset({"patience", "tol"})

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
    "device": [DEVICE_OPTIONS, torch.device],
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


class LatentSMOTESampler(TorchSamplerMixin, BaseOverSampler):
    """Base of the samplers that pretrain GL-GAN's autoencoder and run SMOTE in its latent space.

    Subclasses define ``__init__`` (storing the hyperparameters named in
    :data:`AUTOENCODER_PARAMETER_CONSTRAINTS`), ``_parameter_constraints`` and :meth:`_generate`.
    Each class that ``sampling_strategy_`` asks to grow is treated as the minority against all other rows
    (one model per such class, seeded in sorted class order from ``random_state``); with two classes this
    is exactly the paper's binary setting.
    """

    _clustering = True  # whether Eq. 3.2 is part of the autoencoder loss
    #: Enters the results store's config hash (:func:`glgan.experiment.run_keys.sampler_revision`). 1: one
    #: forward pass per step where there were several, and fused Adam (docs/REPRODUCTION.md §13). 2: the
    #: balanced variant's ``ae_min_steps`` 1000 -> 800 (chosen on the KEEL dev list, §6.7).
    _results_revision = 2

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
        """A parameter's value, or what ``variant`` sets for it when it is None ("auto" for ``patience``
        and ``tol``)."""
        value = getattr(self, name, None)
        unset = value == "auto" if name in _AUTO else value is None
        return VARIANTS[self.variant][name] if unset else value

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
        ratio = spread_ratio(rows, real, chunk_rows=65536) if len(real) > 1 and len(rows) > 1 else math.nan
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
