"""CTGAN (the ``ctgan`` package, ``requirements-bench.txt``) behind ``fit_resample``: the benchmark's external reference."""

from __future__ import annotations

import time


class CTGANOverSampler:
    """CTGAN fitted on the rows and the label (as its discrete column), then sampled for the minority.

    Only for timing. CTGAN's conditional sampling does not guarantee the label of a sampled row, so the
    synthetic rows are not a faithful over-sampler's output; the benchmark only times the fit and the
    sampling of the same number of rows the other samplers generate.
    """

    def __init__(self, *, epochs: int, random_state: int, device: str):
        self.epochs, self.random_state, self.device = epochs, random_state, device
        self.preprocessing_seconds = 0.0

    def fit_resample(self, X, y):
        import numpy as np
        import pandas as pd
        from ctgan import CTGAN as _CTGAN
        from ctgan.synthesizers import ctgan as ctgan_module

        columns = [f"x{i}" for i in range(X.shape[1])]
        frame = pd.DataFrame(X, columns=columns)
        frame["label"] = y
        labels, counts = np.unique(y, return_counts=True)
        minority, n_new = labels[np.argmin(counts)], int(counts.max() - counts.min())

        # CTGAN's fit starts with its mode-specific normalisation (a Bayesian GMM per column); time it
        # apart from the adversarial training by wrapping the transformer class it uses.
        outer = self

        class TimedTransformer(ctgan_module.DataTransformer):
            def fit(self, *args, **kwargs):
                start = time.perf_counter()
                try:
                    return super().fit(*args, **kwargs)
                finally:
                    outer.preprocessing_seconds += time.perf_counter() - start

            def transform(self, *args, **kwargs):
                start = time.perf_counter()
                try:
                    return super().transform(*args, **kwargs)
                finally:
                    outer.preprocessing_seconds += time.perf_counter() - start

        ctgan_module.DataTransformer, original = TimedTransformer, ctgan_module.DataTransformer
        try:
            model = _CTGAN(epochs=self.epochs, enable_gpu=self.device == "cuda", verbose=False)
            model.set_random_state(self.random_state)
            model.fit(frame, discrete_columns=["label"])
        finally:
            ctgan_module.DataTransformer = original
        new = model.sample(n_new, condition_column="label", condition_value=minority)
        X_new = new[columns].to_numpy(dtype=X.dtype)
        return np.concatenate([X, X_new]), np.concatenate([y, np.full(n_new, minority, dtype=y.dtype)])
