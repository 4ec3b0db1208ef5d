"""What a fitted latent sampler keeps per grown class: encoder, decoder, generating network and codes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from glgan.autoencoder import LatentSet, forward_in_chunks, latent_smote
from glgan.torch_utils import as_tensor

__all__ = ["LatentModel"]


@dataclass
class LatentModel:
    """One grown class of a fitted :class:`glgan.GLGAN`, ``AutoOnly`` or ``PlainAE`` (``models_[label]``).

    Attributes
    ----------
    label : object
        The grown class.
    latent : LatentSet
        The trained autoencoder (E, Q) and the latent set ``Z = E(X) ∪ Z_syn`` it was trained with.
    network : nn.Module
        What maps codes to rows: G for GL-GAN, the decoder Q for the ablations.
    k_neighbors : int
        Latent SMOTE's neighbours, for :meth:`sample`.
    minority_mask : np.ndarray of bool
        Which training rows belong to ``label``.
    """

    label: object
    latent: LatentSet
    network: nn.Module
    k_neighbors: int
    minority_mask: np.ndarray

    @property
    def device(self) -> torch.device:
        return self.latent.Z.device

    def encode(self, X: np.ndarray) -> np.ndarray:
        """``E(X)``."""
        return forward_in_chunks(self.latent.autoencoder.encoder, as_tensor(X, self.device)).cpu().numpy()

    def decode(self, Z: np.ndarray) -> np.ndarray:
        """``network(Z)``: G for GL-GAN, Q for the ablations."""
        return forward_in_chunks(self.network, as_tensor(Z, self.device)).cpu().numpy()

    def reconstruction_error(self, X: np.ndarray) -> np.ndarray:
        """Per row ``‖Q(E(x)) − x‖²`` (Eq. 3.1's summand)."""
        X_t = as_tensor(X, self.device)
        X_hat = forward_in_chunks(self.latent.autoencoder, X_t)
        return (X_hat - X_t).pow(2).sum(dim=1).cpu().numpy()

    def synthetic_codes(self) -> np.ndarray:
        """``Z_syn``, the latent SMOTE codes the synthetic rows of the fit came from."""
        return self.latent.Z_syn.cpu().numpy()

    def sample(self, n_samples: int, seed: int) -> np.ndarray:
        """``n_samples`` new rows: fresh latent SMOTE codes between the class's real codes, then ``network``."""
        codes = latent_smote(
            self.latent.Z_org.cpu().numpy(), self.minority_mask, n_samples,
            k_neighbors=self.k_neighbors, random_state=seed,
        )
        return self.decode(codes)
