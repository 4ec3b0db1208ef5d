"""What every torch sampler (GL-GAN, Auto-only, Plain AE, BAGAN, cGAN) shares around its training."""

from __future__ import annotations

from glgan.sampler_contract import check_sampler_input
from glgan.torch_utils import torch_threads

__all__ = ["TorchSamplerMixin"]


class TorchSamplerMixin:
    """Input checks and the thread scope around training, for a ``BaseOverSampler`` that trains with torch.

    Put it before ``BaseOverSampler`` among the bases. The sampler defines ``_train_and_generate(X, y)``
    and an ``n_threads`` parameter (None: leave torch's thread count as it is).
    """

    def _check_X_y(self, X, y, accept_sparse=None):
        return check_sampler_input(self, X, y, accept_sparse=True)

    def _fit_resample(self, X, y):
        with torch_threads(self.n_threads):
            return self._train_and_generate(X, y)
