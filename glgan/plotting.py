"""Figures for notebooks and reports: the latent picture of a fitted latent sampler, sample quality.

Matplotlib is imported on call, so importing :mod:`glgan` stays light.
"""

from __future__ import annotations

import numpy as np

from glgan.diagnostics import latent_codes

__all__ = ["plot_latent", "plot_quality"]


def plot_latent(sampler, X, y, *, label=None, ax=None, max_points: int = 2000, random_state=0):
    """2-D PCA picture of ``Z_maj``, ``Z_min`` (codes of ``X``) and ``Z_syn`` (latent SMOTE codes).

    The projection is fitted on the real codes; at most ``max_points`` majority codes are drawn (a
    seeded subsample). Works for a fitted :class:`glgan.GLGAN`, ``AutoOnly`` or ``PlainAE``.
    Returns the axes.
    """
    import matplotlib.pyplot as plt
    from sklearn.decomposition import PCA

    codes = latent_codes(sampler, X, y, label=label)
    real = np.vstack([codes["Z_maj"], codes["Z_min"]])
    pca = PCA(n_components=2, random_state=random_state).fit(real)
    rng = np.random.default_rng(random_state)
    maj = codes["Z_maj"]
    if len(maj) > max_points:
        maj = maj[rng.choice(len(maj), max_points, replace=False)]
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    for name, Z, style in (
        ("majority (Z_maj)", maj, dict(s=6, c="tab:blue", alpha=0.35)),
        ("synthetic (Z_syn)", codes["Z_syn"], dict(s=10, c="tab:orange", alpha=0.5, marker="x")),
        ("minority (Z_min)", codes["Z_min"], dict(s=28, c="tab:red", edgecolors="k", linewidths=0.5)),
    ):
        P = pca.transform(Z)
        ax.scatter(P[:, 0], P[:, 1], label=f"{name}, n={len(Z)}", **style)
    ax.set_xlabel("PC 1 of the real codes")
    ax.set_ylabel("PC 2")
    ax.set_title(f"{type(sampler).__name__}: latent space")
    ax.legend(fontsize=7, loc="best")
    return ax


def plot_quality(table, *, metrics=("spread_ratio", "cover", "near_majority"), by="sampler", ax=None):
    """Bar chart of sample-quality diagnostics (rows of :func:`glgan.diagnostics.sample_quality`).

    ``table`` is a pandas DataFrame with a ``by`` column and the metric columns; bars show the mean
    over its rows per ``by`` value. Returns the axes.
    """
    import matplotlib.pyplot as plt

    means = table.groupby(by, sort=False)[list(metrics)].mean()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
    means.plot.bar(ax=ax, rot=0)
    ax.axhline(1.0, color="grey", lw=0.5, ls="--")
    ax.set_ylabel("mean over sets / folds")
    ax.legend(fontsize=7)
    return ax
