"""What an experiment runs, read from the ``reproduce:`` block of ``configs/experiment/<name>.yaml``.

The runner ignores that block (it is not part of a run's configuration hash); ``scripts/reproduce.py``
turns it into Hydra sweeps and ``scripts/make_report.py`` into the matching tables and figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

from omegaconf import OmegaConf

from glgan.experiment.cells import CONFIG_DIR
from glgan.experiment.protocol import PAPER_RATIO


@dataclass(frozen=True)
class Cell:
    """One runner cell: (dataset, method, ratio, seed) with the dataset's Hydra overrides."""

    dataset: str
    method: str
    ratio: float
    seed: int
    overrides: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.dataset}/{self.method} r={self.ratio:g} seed={self.seed}"


@dataclass(frozen=True)
class Fit:
    """One sampler re-run of the report at r = 0.01: an interleaving row (``kind="interleaving"``, with
    MNIST images when ``keep_images``) or cGAN's training history (``kind="cgan_history"``)."""

    dataset: str
    method: str
    seed: int
    overrides: tuple[str, ...] = ()
    allow_partial: bool = False
    keep_images: bool = False
    kind: str = "interleaving"

    @property
    def label(self) -> str:
        what = "history" if self.kind == "cgan_history" else "interleaving"
        return f"report {what}: {self.dataset}/{self.method} seed={self.seed}"


@dataclass(frozen=True)
class Plan:
    experiment: str
    seeds: tuple[int, ...]
    methods: tuple[str, ...]
    datasets: tuple[str, ...]
    figure_methods: tuple[str, ...]
    figure_ratios: tuple[float, ...]
    figure_datasets: tuple[str, ...]
    interleaving_seeds: tuple[int, ...]
    interleaving_datasets: tuple[str, ...]

    def includes(self, dataset: str, method: str, ratio: float, seed: int) -> bool:
        """Whether the plan runs this cell: the tables at r = 0.01, or the r-sweep of Figures 3-4."""
        if int(seed) not in self.seeds:
            return False
        if dataset in self.datasets and method in self.methods and math.isclose(ratio, PAPER_RATIO):
            return True
        return (dataset in self.figure_datasets and method in self.figure_methods
                and any(math.isclose(ratio, r) for r in self.figure_ratios))

    def restrict(self, *, datasets=None, methods=None, seeds=None, ratios=None) -> Plan:
        """A smaller plan (e.g. a test or a partial rerun); ``None`` keeps a field."""
        keep = lambda values, allowed: tuple(v for v in values if allowed is None or v in allowed)  # noqa: E731
        return replace(
            self,
            datasets=keep(self.datasets, datasets),
            methods=keep(self.methods, methods),
            figure_methods=keep(self.figure_methods, methods),
            figure_datasets=keep(self.figure_datasets, datasets),
            interleaving_datasets=keep(self.interleaving_datasets, datasets),
            seeds=self.seeds[:seeds] if seeds is not None else self.seeds,
            interleaving_seeds=self.interleaving_seeds[:seeds] if seeds is not None else self.interleaving_seeds,
            figure_ratios=tuple(ratios) if ratios is not None else self.figure_ratios,
        )


def load_plan(experiment: str, config_dir: Path = CONFIG_DIR) -> Plan:
    path = config_dir / "experiment" / f"{experiment}.yaml"
    if not path.is_file():
        names = sorted(p.stem for p in (config_dir / "experiment").glob("*.yaml"))
        raise FileNotFoundError(f"No experiment config {path}; available: {names}.")
    config = OmegaConf.load(path)
    block = config.get("reproduce")
    if block is None:
        raise ValueError(f"{path} has no 'reproduce:' block, so it does not say what to run.")
    return Plan(
        experiment=str(config.get("experiment", experiment)),
        seeds=tuple(range(int(block.seeds))),
        methods=tuple(block.methods),
        datasets=tuple(block.datasets),
        figure_methods=tuple(block.figure_methods),
        figure_ratios=tuple(float(r) for r in block.figure_ratios),
        figure_datasets=tuple(block.figure_datasets),
        interleaving_seeds=tuple(range(int(block.interleaving_seeds))),
        interleaving_datasets=tuple(block.interleaving_datasets),
    )
