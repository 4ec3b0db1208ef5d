"""The input plumbing the GAN baselines (:mod:`baselines.cgan`, :mod:`baselines.bagan`) share.

Min-max scaling and class indices; input checks and output assembly are :mod:`glgan.sampler_contract`'s.
"""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import MinMaxScaler

from glgan.sampler_contract import to_dense

__all__ = ["GANInput", "prepare_gan_input", "requested_classes"]



class GANInput:
    """The training view of ``X``: dense, min-max scaled to [0, 1], classes as indices 0..n-1.

    Attributes
    ----------
    X01 : ndarray of shape (n_samples, n_features), float32
    y_index : ndarray of shape (n_samples,), int64
    classes : ndarray, the sorted class labels (``classes[y_index] == y``)
    scaler : fitted :class:`~sklearn.preprocessing.MinMaxScaler`
    """

    def __init__(self, X01, y_index, classes, scaler):
        self.X01, self.y_index, self.classes, self.scaler = X01, y_index, classes, scaler

    def to_original_scale(self, X01: np.ndarray, dtype) -> np.ndarray:
        return self.scaler.inverse_transform(np.asarray(X01, dtype=np.float64)).astype(dtype, copy=False)


def prepare_gan_input(X, y) -> GANInput:
    """Densify and min-max scale ``X`` on the given rows; encode ``y`` as class indices.

    Both GANs end in a sigmoid, so they can only produce values in [0, 1]. Scaling on the rows passed
    to ``fit_resample`` lets them cover the data's range whatever its units; on data already min-max
    scaled on the same rows (what the experiment runner passes) the map is the identity.
    """
    X_dense = to_dense(X)  # (as_tensor makes the training copy C-contiguous, whatever X's layout)
    scaler = MinMaxScaler().fit(X_dense)
    X01 = scaler.transform(X_dense).astype(np.float32)
    classes, y_index = np.unique(y, return_inverse=True)
    return GANInput(X01, y_index.astype(np.int64), classes, scaler)


def requested_classes(sampler, classes: np.ndarray) -> list[tuple[int, int]]:
    """``[(class_index, n_to_generate), ...]`` from ``sampler.sampling_strategy_`` (zeros left out)."""
    index_of = {label: i for i, label in enumerate(classes.tolist())}
    return [(index_of[label], int(n)) for label, n in sampler.sampling_strategy_.items() if n > 0]
