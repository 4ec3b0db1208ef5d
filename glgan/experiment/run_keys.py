"""A run's key in the record store and the hash of the configuration that defines its numbers.

``glgan-run`` skips a run whose key is already stored; the config hash is part of the key, so a changed
sampler, dataset, classifier or protocol gives new records instead of reusing old ones.
"""

from __future__ import annotations

import hashlib
import json

from hydra.utils import get_class
from omegaconf import DictConfig, OmegaConf

from glgan.experiment.store import FoldKey, RunKey

KEEL = "keel"  # the dataset config of the KEEL benchmark's sets (configs/dataset/keel.yaml)
PROTOCOL_VERSION = 1  # bump when the split/scaling/evaluation code changes results
#: The KEEL benchmark's fold records: bump when they gain or change fields (2: Brier score and log-loss).
CV_RECORD_VERSION = 2


def sampler_config(cfg: DictConfig) -> DictConfig:
    """The method's sampler config with the experiment's per-method overrides merged in."""
    overrides = cfg.sampler_overrides.get(cfg.method.name, {})
    sampler = OmegaConf.merge(cfg.method.sampler)  # a copy that still resolves ${seed} against the root
    OmegaConf.set_struct(sampler, False)  # overrides may set constructor arguments the yaml leaves at default
    return OmegaConf.merge(sampler, overrides)


def sampler_revision(cfg: DictConfig) -> int:
    """The ``_results_revision`` of the run's sampler class (0 when it has none, or no sampler).

    A sampler class bumps it when a change of its code moves its outputs for the same parameters, so that
    stored records made before the change are not taken for the new code's.
    """
    target = OmegaConf.select(cfg, "method.sampler._target_")
    return int(getattr(get_class(target), "_results_revision", 0)) if target else 0


def config_hash(cfg: DictConfig) -> str:
    """Hash of everything that defines a run's numbers except the key fields (ratio and seed)."""
    as_plain = lambda node: OmegaConf.to_container(node, resolve=False)  # noqa: E731 - keeps ${seed} literal
    payload = {
        "protocol": PROTOCOL_VERSION,
        "dataset": as_plain(cfg.dataset),
        "sampler": as_plain(sampler_config(cfg)),
        "classifiers": as_plain(cfg.classifier),
        "scale": cfg.scale,
    }
    revision = sampler_revision(cfg)
    if revision:  # absent at 0, so the hashes of samplers that never moved stay as they were
        payload["sampler_revision"] = revision
    if is_cv(cfg):  # the fold shuffles and every fold's seed derive from these; repeat and fold are the key
        payload["cv"] = {"folds": int(cfg.cv.folds), "seed": int(cfg.seed), "record": CV_RECORD_VERSION}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:10]


def is_cv(cfg: DictConfig) -> bool:
    """True for the KEEL benchmark's cross-validation experiments (their config has a ``cv`` block)."""
    return "cv" in cfg


def run_key(cfg: DictConfig) -> RunKey | FoldKey:
    if is_cv(cfg):
        return FoldKey(cfg.dataset.set, cfg.method.name, int(cfg.cv.folds), int(cfg.repeat), int(cfg.fold),
                       config_hash(cfg))
    return RunKey(cfg.dataset.name, cfg.method.name, float(cfg.ratio), int(cfg.seed), config_hash(cfg))
