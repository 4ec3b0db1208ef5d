"""Figures 3-6 and the critical-difference diagram (matplotlib, Agg backend, reproducible files)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from glgan.report.labels import DATASET_LABELS, label  # noqa: E402

# No creation date in the files, so the same inputs give byte-identical outputs.
_METADATA = {"png": {"Software": None}, "pdf": {"CreationDate": None, "ModDate": None, "Producer": None}}
_STYLE = {
    "glgan": {"color": "tab:red", "marker": "o"},
    "auto_only": {"color": "tab:blue", "marker": "s"},
    "cgan": {"color": "tab:green", "marker": "^"},
    "smote": {"color": "0.45", "marker": "x", "linestyle": "--"},
}


def save(fig, stem: Path, formats=("png",)) -> list[Path]:
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in formats:
        path = stem.with_suffix(f".{ext}")
        fig.savefig(path, dpi=150, bbox_inches="tight", metadata=_METADATA[ext])
        paths.append(path)
    plt.close(fig)
    return paths


def _message_figure(title: str, message: str):
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    ax.axis("off")
    ax.set_title(title)
    ax.text(0.5, 0.5, textwrap.fill(message, 70), ha="center", va="center", fontsize=10, transform=ax.transAxes)
    return fig


def data_not_held_figure(dataset: str, number: int, reason: str | None = None):
    """The placeholder of a figure whose dataset is not held: says so in large type, then why."""
    name = DATASET_LABELS.get(dataset, dataset)
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    ax.axis("off")
    ax.text(0.5, 0.78, f"{name} data not held here", ha="center", va="center", fontsize=17, fontweight="bold",
            color="tab:red", transform=ax.transAxes)
    ax.text(0.5, 0.58, f"Figure {number} is not reproduced: there are no {name} records to plot.\n"
            "The paper's figure is the only reference for this dataset.", ha="center", va="center",
            fontsize=10, transform=ax.transAxes)
    if reason:
        ax.text(0.5, 0.25, textwrap.fill(reason, 80), ha="center", va="center", fontsize=8, color="0.35",
                transform=ax.transAxes)
    return fig


def mcc_vs_r(summary: pd.DataFrame, dataset: str, number: int, methods, stem: Path, *, experiment: str,
             missing_reason: str | None = None, data_held: bool | None = None) -> list[Path]:
    """AdaBoost MCC against the imbalance ratio: mean line and mean ± std band per method.

    ``summary`` holds rows of :func:`glgan.report.records.summarize` for AdaBoost MCC on ``dataset``.
    Without any row the figure says that the data is not held (``data_held=False``) or that the experiment
    has no records yet, with ``missing_reason`` when known.
    """
    title = f"Figure {number} reproduced: AdaBoost MCC vs r, {DATASET_LABELS.get(dataset, dataset)}"
    rows = summary[summary["method"].isin(methods)]
    if rows.empty:
        if data_held is False:
            return save(data_not_held_figure(dataset, number, missing_reason), stem, ("png", "pdf"))
        reason = missing_reason or "the experiment has not run it yet."
        fig = _message_figure(title, f"No records for {dataset} in experiment '{experiment}': {reason}")
        return save(fig, stem, ("png", "pdf"))
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    seeds = sorted(set(rows["n_seeds"]))
    for method in methods:
        line = rows[rows["method"] == method].sort_values("ratio")
        if line.empty:
            continue
        style = _STYLE.get(method, {})
        r, mean, std = line["ratio"].to_numpy(), line["mean"].to_numpy(), np.nan_to_num(line["std"].to_numpy())
        ax.plot(r, mean, label=label(method) + (" (reference)" if method == "smote" else ""), **style)
        ax.fill_between(r, mean - std, mean + std, color=style.get("color"), alpha=0.15, linewidth=0)
    ratios = sorted(set(rows["ratio"]))
    ax.set_xscale("log")
    ax.set_xticks(ratios, [f"{r:g}" for r in ratios])
    ax.minorticks_off()
    ax.set_xlabel("imbalance ratio r (log scale)")
    ax.set_ylabel("MCC (AdaBoost)")
    seed_text = "/".join(map(str, seeds))
    ax.set_title(f"{title}\nexperiment '{experiment}', mean ± std over {seed_text} seeds", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=9)
    return save(fig, stem, ("png", "pdf"))


def cliques(ranks: pd.Series, cd: float) -> list[tuple[int, int]]:
    """Maximal runs (start, end positions in rank order) whose ranks differ by less than ``cd``."""
    values = ranks.sort_values().to_numpy()
    runs = []
    for i in range(len(values)):
        j = i
        while j + 1 < len(values) and values[j + 1] - values[i] < cd:
            j += 1
        if j > i and not any(a <= i and j <= b for a, b in runs):
            runs.append((i, j))
    return runs


def cd_diagram(ranks: pd.Series, cd: float, n_blocks: int, path: Path, *, title: str) -> list[Path]:
    """Demšar's critical-difference diagram: average ranks on an axis, non-significant groups joined."""
    ranks = ranks.sort_values()
    k = len(ranks)
    if k < 2 or not np.isfinite(cd):
        return save(_message_figure(title, "Too few methods or complete blocks for a CD diagram."), path)
    half = (k + 1) // 2
    groups = cliques(ranks, cd)
    top = -0.25 - 0.1 * len(groups)  # method labels start below the bars of the groups
    bottom = top - 0.3 * max(half, k - half)
    fig, ax = plt.subplots(figsize=(7.5, 0.9 - bottom))
    ax.set_xlim(0.5, k + 0.5)
    ax.set_ylim(bottom, 0.9)
    ax.axis("off")
    ax.plot([1, k], [0, 0], color="black", linewidth=1)
    for r in range(1, k + 1):
        ax.plot([r, r], [0, 0.08], color="black", linewidth=1)
        ax.text(r, 0.14, str(r), ha="center", va="bottom", fontsize=9)
    ax.plot([1, 1 + cd], [0.6, 0.6], color="black", linewidth=1.5)
    for x in (1, 1 + cd):
        ax.plot([x, x], [0.55, 0.65], color="black", linewidth=1.5)
    ax.text(1 + cd / 2, 0.68, f"CD = {cd:.2f}", ha="center", va="bottom", fontsize=9)
    for i, (method, rank) in enumerate(ranks.items()):
        left = i < half
        level = top - 0.3 * (i if left else k - 1 - i)
        x_text = 0.6 if left else k + 0.4
        ax.plot([rank, rank, x_text], [0, level, level], color="black", linewidth=0.8)
        ax.text(x_text, level, f"{label(method)} ({rank:.2f})" if left else f"({rank:.2f}) {label(method)}",
                ha="right" if left else "left", va="center", fontsize=9)
    for n, (a, b) in enumerate(groups):
        y = -0.15 - 0.1 * n
        ax.plot([ranks.iloc[a] - 0.03, ranks.iloc[b] + 0.03], [y, y], color="tab:red", linewidth=3,
                solid_capstyle="butt", zorder=3)
    ax.set_title(f"{title}\n{n_blocks} blocks; red bars join methods not significantly different "
                 "(Nemenyi, α = 0.05)", fontsize=9)
    return save(fig, path)


def _grid(images: np.ndarray, columns: int = 8, side: int = 28, gap: int = 2) -> np.ndarray:
    rows = int(np.ceil(len(images) / columns))
    canvas = np.full((rows * (side + gap) - gap, columns * (side + gap) - gap), np.nan)
    for index, image in enumerate(images):
        r, c = divmod(index, columns)
        canvas[r * (side + gap): r * (side + gap) + side, c * (side + gap): c * (side + gap) + side] = \
            image.reshape(side, side)
    return canvas


def image_panels(panels: list[tuple[str, np.ndarray | None]], path: Path, *, title: str) -> list[Path]:
    """Side-by-side grids of 28 x 28 images in 0..255 (a panel without images says so)."""
    fig, axes = plt.subplots(1, len(panels), figsize=(3.4 * len(panels), 3.9))
    cmap = matplotlib.colormaps["gray"].copy()
    cmap.set_bad("white")
    for ax, (name, images) in zip(np.atleast_1d(axes), panels):
        ax.set_xticks([])
        ax.set_yticks([])
        empty = images is None or len(images) == 0
        canvas = _grid(np.full((64, 784), np.nan)) if empty else _grid(np.asarray(images, dtype=float))
        ax.imshow(canvas, cmap=cmap, vmin=0, vmax=255, interpolation="nearest")
        if empty:
            ax.text(0.5, 0.5, "not computed", ha="center", va="center", transform=ax.transAxes)
        ax.set_title(name, fontsize=10)
    fig.suptitle(title, fontsize=10)
    return save(fig, path)


def gan_loss_curves(histories: dict, stem: Path, *, title: str) -> list[Path]:
    """One panel per dataset: cGAN's mean D and G loss per epoch against the updates done.

    ``histories`` maps a dataset to ``CGAN.history_`` (``updates``, ``discriminator``, ``generator``,
    ``generator_smoothed``, ``n_updates``, ``stopped``). Without any history the figure says so.
    """
    histories = {d: h for d, h in histories.items() if h and h.get("updates")}
    if not histories:
        return save(_message_figure(title, "No cGAN training history (no held dataset, or the report ran "
                                    "without sampler re-runs)."), stem, ("png",))
    fig, axes = plt.subplots(1, len(histories), figsize=(4.2 * len(histories), 3.4), squeeze=False)
    for ax, (dataset, h) in zip(axes[0], histories.items()):
        updates = np.asarray(h["updates"])
        ax.plot(updates, h["discriminator"], color="tab:blue", label="D (epoch mean)")
        ax.plot(updates, h["generator"], color="tab:green", alpha=0.5, label="G (epoch mean)")
        ax.plot(updates, h["generator_smoothed"], color="tab:green", label="G (last 100 updates)")
        ax.set_title(f"{DATASET_LABELS.get(dataset, dataset)}: {h.get('n_updates')} updates, "
                     f"stopped: {h.get('stopped')}", fontsize=9)
        ax.set_xlabel("updates of D and of G")
        ax.set_yscale("symlog", linthresh=0.1)
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("loss (BCE)")
    axes[0][0].legend(fontsize=8, loc="best")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return save(fig, stem, ("png",))
