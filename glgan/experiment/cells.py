"""Re-create one runner cell outside a Hydra sweep (same composed config, split, scaling and sampler).

``make reproduce`` runs its cells and the report's sampler re-runs in one worker pool on these
configurations; the interleaving table and the MNIST figures need the samplers' synthetic rows, which the
results store does not keep. Composing the runner's own Hydra config guarantees the same sampler settings
(including an experiment's ``sampler_overrides``) and the same configuration hash as the stored runs.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

from hydra import compose, initialize_config_dir
from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf

from glgan.experiment.config_check import CONFIG_DIR
from glgan.experiment.protocol import Split, make_split, minmax_scale

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def compose_cell(experiment: str, dataset: str, method: str, seed: int, ratio: float,
                 overrides=()) -> DictConfig:
    """The runner's configuration of one cell, composed from ``configs/`` exactly as ``glgan.run`` would."""
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose(config_name="config", overrides=[
            f"experiment={experiment}", f"dataset={dataset}", f"method={method}", f"seed={seed}",
            f"ratio={ratio}", *overrides,
        ])


@functools.lru_cache(maxsize=128)
def _composed(experiment: str, dataset: str, method: str, ratio: float, overrides: tuple[str, ...]) -> DictConfig:
    return compose_cell(experiment, dataset, method, 0, ratio, overrides)


def cell_config(experiment: str, dataset: str, method: str, seed: int, ratio: float, overrides=()) -> DictConfig:
    """:func:`compose_cell`, composed once per (experiment, dataset, method, ratio, overrides) in a process and
    then given the seed (a plain value that the classifiers' ``${seed}`` follow): the same configuration
    (tested), without a Hydra compose per cell."""
    cfg = copy.deepcopy(_composed(experiment, dataset, method, float(ratio), tuple(overrides)))
    OmegaConf.update(cfg, "seed", int(seed))
    return cfg


def make_sampler(cfg: DictConfig):
    from glgan.experiment.run_keys import sampler_config

    return instantiate(sampler_config(cfg))


def cell_hash(cfg: DictConfig) -> str:
    from glgan.experiment.run_keys import config_hash

    return config_hash(cfg)


def cell_split(cfg: DictConfig, dataset) -> Split:
    """The scaled split ``glgan.experiment.pipeline.run_cell`` evaluates for ``cfg`` on ``dataset``."""
    split = make_split(dataset.X, dataset.y, majority=cfg.dataset.majority, minority=cfg.dataset.minority,
                       ratio=cfg.ratio, seed=cfg.seed)
    return minmax_scale(split) if cfg.scale == "minmax" else split
