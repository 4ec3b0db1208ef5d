"""Hydra entry point: evaluate one (dataset, method, ratio, seed) and store one record per classifier.

    python -m glgan.run dataset=madelon method=smote seed=3 ratio=0.01
    python -m glgan.run -m seed='range(10)' method=smote,random dataset=usps   # joblib launcher, 2 workers
    python -m glgan.run experiment=benchmark-dev dataset.set=yeast3 method=smote fold=2   # one KEEL CV fold

Every bad input (an unknown name, value or constructor argument, a package or data file that is missing)
stops the run before any work with one line on stderr and exit status 2. A run already in the store (same
dataset, method, ratio, seed and configuration hash) is skipped, so an interrupted sweep resumes where it
stopped. This is the only module that knows about Hydra.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
import time
import warnings
from pathlib import Path
from typing import NoReturn

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf
from threadpoolctl import threadpool_limits

from glgan.experiment.cells import cell_config
from glgan.experiment.command_check import check_group_choices, check_run_config
from glgan.experiment.config_check import CONFIG_DIR, ConfigError
from glgan.experiment.loading import load_noting
from glgan.experiment.pipeline import provenance, run_cell, run_fold
from glgan.experiment.plan import Cell
from glgan.experiment.run_keys import (  # noqa: F401  (config_hash, PROTOCOL_VERSION: re-exported)
    PROTOCOL_VERSION,
    config_hash,
    is_cv,
    run_key,
    sampler_config,
)
from glgan.experiment.store import ResultStore

log = logging.getLogger("glgan.run")
# loky restarts idle workers of a joblib sweep and warns that this "can be caused by ... a memory leak"; the
# restarted worker simply picks up the next run (nothing is lost), so the warning is noise in every sweep.
warnings.filterwarnings("ignore", message="A worker stopped while some jobs were given to the executor",
                        category=UserWarning)


def _in_multirun() -> bool:
    with contextlib.suppress(ValueError):  # no Hydra context when called from Python
        return HydraConfig.get().mode == RunMode.MULTIRUN
    return False


def _hydra_choice(group: str) -> str | None:
    with contextlib.suppress(ValueError):  # no Hydra context when called from Python
        return HydraConfig.get().runtime.choices.get(group)
    return None


_NOTED: set[str] = set()


def note_once(text: str) -> None:
    """Log a data note once per sweep (a marker file in the Hydra sweep folder), else once per process
    (a single run always logs it; a worker of ``make reproduce``'s pool once)."""
    if text in _NOTED:
        return
    _NOTED.add(text)
    with contextlib.suppress(ValueError):
        hydra_cfg = HydraConfig.get()
        if hydra_cfg.mode == RunMode.MULTIRUN:
            marker = Path(hydra_cfg.sweep.dir) / ".notes" / hashlib.sha256(text.encode()).hexdigest()[:16]
            marker.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return
    log.warning("note: %s", text)


def run(cfg: DictConfig, on_resampled=None) -> Path:
    """Run one cell unless the store already has it; return the record file.

    The configuration is checked first (:func:`check_run_config`): an unknown key or name, an impossible
    value or a sampler that cannot be built raises :class:`ConfigError` before any data is read.
    ``on_resampled`` goes to :func:`glgan.experiment.pipeline.run_cell` (not to a KEEL fold).
    """
    from glgan.data import load_dataset

    multirun = _in_multirun()
    check_run_config(cfg, dataset_choice=_hydra_choice("dataset"))
    key = run_key(cfg)
    store = ResultStore(Path(cfg.results_dir) / cfg.experiment)
    if is_cv(cfg):
        label = f"{key.dataset}/{key.method} repeat={key.repeat} fold={key.fold}"
    else:
        label = f"{key.dataset}/{key.method} r={key.ratio:g} seed={key.seed}"
    if store.has(key):
        log.info("%s: already in %s, skipped", label, store.path_for(key))
        return store.path_for(key)

    # parallel workers of a sweep are single-threaded (2 x 2 threads made MLP 15x slower)
    threads = int(cfg.threads) if cfg.threads is not None else (1 if multirun else None)
    limits = threadpool_limits(threads) if threads else contextlib.nullcontext()
    if is_cv(cfg):  # sampler and classifiers get the fold's own seed (glgan.experiment.cv.fold_seed)
        from glgan.experiment.cv import fold_seed

        base_seed = int(cfg.seed)
        cfg = OmegaConf.merge(cfg, {"seed": fold_seed(base_seed, int(cfg.repeat), int(cfg.fold))})
    with limits:
        sampler = instantiate(sampler_config(cfg), _convert_="all")  # plain lists/dicts, not ListConfig
        if threads and "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(threads)
        classifiers = {name: instantiate(node) for name, node in cfg.classifier.items()}
        if is_cv(cfg):
            dataset = load_dataset(f"keel/{cfg.dataset.set}", allow_unlisted=cfg.dataset.allow_unlisted)
            records = run_fold(dataset, sampler, classifiers, n_folds=int(cfg.cv.folds), repeat=int(cfg.repeat),
                               fold=int(cfg.fold), cv_seed=base_seed, seed=int(cfg.seed), scale=cfg.scale)
        else:
            dataset = load_noting(cfg.dataset.name, cfg.data_dir, allow_partial=bool(cfg.dataset.allow_partial),
                                  note=note_once)  # the partial-data note once per sweep
            records = run_cell(dataset, sampler, classifiers, majority=cfg.dataset.majority,
                               minority=cfg.dataset.minority, ratio=cfg.ratio, seed=cfg.seed, scale=cfg.scale,
                               on_resampled=on_resampled)
    extra = {"experiment": cfg.experiment, "method": key.method, "config_hash": key.config_hash, **provenance()}
    records = [{**record, **extra} for record in records]
    path = store.write(key, records)
    summary = ", ".join(f"{r['classifier']} mcc={r['mcc']:.3f}" for r in records)
    log.info("%s: %s (sampler %.1f s) -> %s", label, summary, records[0]["sampler_seconds"], path)
    return path


def task_summary(task, run_once) -> dict:
    """Call ``run_once()`` (which returns a record file); a summary of its records for a progress line, or
    of the error (never raises: one failed task must not stop the others of a worker pool)."""
    start = time.perf_counter()
    try:
        records = json.loads(Path(run_once()).read_text())["records"]
    except Exception as error:  # noqa: BLE001
        return {"task": task, "ok": False, "error": f"{type(error).__name__}: {error}",
                "seconds": time.perf_counter() - start}
    return {"task": task, "ok": True, "seconds": time.perf_counter() - start,
            "sampler_seconds": records[0]["sampler_seconds"],
            "mcc": {r["classifier"]: r["mcc"] for r in records}}


def run_cell_task(experiment: str, cell: Cell, results_dir: str, data_dir=None, interleaving_cache=None) -> dict:
    """Run one cell of a reproduction single-threaded in this process; a summary for the progress line (never raises).

    ``scripts/reproduce.py`` calls it in its parallel workers for every pending cell of the plan, on the
    configuration a Hydra sweep would compose (:func:`glgan.experiment.cells.cell_config`), so the record
    is the one ``python -m glgan.run -m ...`` writes. With ``interleaving_cache`` the cell also caches the
    report's interleaving row from its resampled rows (:mod:`glgan.experiment.derived`), which the report
    would otherwise compute by fitting the same sampler on the same split again.
    """
    extra = (f"results_dir={results_dir}", "threads=1", *(() if data_dir is None else (f"data_dir={data_dir}",)))

    def run_once() -> Path:
        cfg = cell_config(experiment, cell.dataset, cell.method, cell.seed, cell.ratio, (*cell.overrides, *extra))
        if interleaving_cache is None:
            return run(cfg)
        from glgan.experiment import derived

        def cache_row(dataset, split, X_res, y_res):
            path = derived.cache_path(Path(interleaving_cache), cfg, cell.dataset, cell.method, cell.seed)
            if not path.is_file():
                derived.write_row(path, cfg, dataset, cell.dataset, cell.method, cell.seed, split, X_res, y_res)

        return run(cfg, on_resampled=cache_row)

    return task_summary(cell, run_once)


def _fail(message: str) -> NoReturn:
    print(f"glgan.run: {message}", file=sys.stderr)
    sys.exit(2)


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def _hydra_main(cfg: DictConfig) -> None:
    import pooch

    from glgan.data import DataFileError, MissingDataError

    pooch.get_logger().setLevel(logging.WARNING)  # its "Downloading ..." per mirror tried; the run says the rest
    try:
        run(cfg)  # checks the configuration first (check_run_config)
    except ConfigError as error:
        _fail(f"invalid configuration: {error}")
    except DataFileError as error:
        if isinstance(error, MissingDataError):
            _fail(error.summary)
        _fail(f"{type(error).__name__}: {' '.join(str(error).split())}")


def main() -> None:
    """``glgan-run`` / ``python -m glgan.run``: check the command line's group choices, then run Hydra."""
    try:
        check_group_choices(sys.argv[1:], CONFIG_DIR)
    except ConfigError as error:
        _fail(f"invalid configuration: {error}")
    _hydra_main()


if __name__ == "__main__":
    main()
