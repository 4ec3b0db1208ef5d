"""Hydra entry point: evaluate one (dataset, method, ratio, seed) and store one record per classifier.

    python -m glgan.run dataset=madelon method=smote seed=3 ratio=0.01
    python -m glgan.run -m seed='range(10)' method=smote,random dataset=usps   # joblib launcher, 2 workers

A run already in the store (same dataset, method, ratio, seed and configuration hash) is skipped, so an
interrupted sweep resumes where it stopped. This is the only module that knows about Hydra.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf
from threadpoolctl import threadpool_limits

from glgan.experiment.pipeline import provenance, run_cell
from glgan.experiment.store import ResultStore, RunKey

log = logging.getLogger("glgan.run")
PROTOCOL_VERSION = 1  # bump when the split/scaling/evaluation code changes results


def sampler_config(cfg: DictConfig) -> DictConfig:
    """The method's sampler config with the experiment's per-method overrides merged in."""
    overrides = cfg.sampler_overrides.get(cfg.method.name, {})
    sampler = OmegaConf.merge(cfg.method.sampler)  # a copy that still resolves ${seed} against the root
    OmegaConf.set_struct(sampler, False)  # overrides may set constructor arguments the yaml leaves at default
    return OmegaConf.merge(sampler, overrides)


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
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:10]


def run_key(cfg: DictConfig) -> RunKey:
    return RunKey(cfg.dataset.name, cfg.method.name, float(cfg.ratio), int(cfg.seed), config_hash(cfg))


def _threads(cfg: DictConfig) -> int | None:
    if cfg.threads is not None:
        return int(cfg.threads)
    with contextlib.suppress(ValueError):  # no Hydra context when called from Python
        if HydraConfig.get().mode == RunMode.MULTIRUN:
            return 1  # parallel workers must be single-threaded (2 x 2 threads made MLP 15x slower)
    return None


def run(cfg: DictConfig) -> Path:
    """Run one cell unless the store already has it; return the record file."""
    from glgan.data import load_dataset

    key = run_key(cfg)
    store = ResultStore(Path(cfg.results_dir) / cfg.experiment)
    label = f"{key.dataset}/{key.method} r={key.ratio:g} seed={key.seed}"
    if store.has(key):
        log.info("%s: already in %s, skipped", label, store.path_for(key))
        return store.path_for(key)

    threads = _threads(cfg)
    limits = threadpool_limits(threads) if threads else contextlib.nullcontext()
    with limits:
        sampler = instantiate(sampler_config(cfg), _convert_="all")  # plain lists/dicts, not ListConfig
        if threads and "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(threads)
        classifiers = {name: instantiate(node) for name, node in cfg.classifier.items()}
        dataset = load_dataset(cfg.dataset.name, cfg.data_dir, allow_partial=cfg.dataset.allow_partial)
        records = run_cell(dataset, sampler, classifiers, majority=cfg.dataset.majority,
                           minority=cfg.dataset.minority, ratio=cfg.ratio, seed=cfg.seed, scale=cfg.scale)
    extra = {"experiment": cfg.experiment, "method": key.method, "config_hash": key.config_hash, **provenance()}
    records = [{**record, **extra} for record in records]
    path = store.write(key, records)
    summary = ", ".join(f"{r['classifier']} mcc={r['mcc']:.3f}" for r in records)
    log.info("%s: %s (sampler %.1f s) -> %s", label, summary, records[0]["sampler_seconds"], path)
    return path


@hydra.main(version_base="1.3", config_path="../configs", config_name="config")
def main(cfg: DictConfig) -> None:
    run(cfg)


if __name__ == "__main__":
    main()
