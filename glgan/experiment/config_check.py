"""Check a composed run configuration before any work is done.

Hydra already refuses ``key=value`` for a key that does not exist, but ``+key=value`` adds any key, and
values are not range-checked: ``+ration=0.05`` was silently ignored and ``ratio=2`` failed only after the
data had loaded. :func:`check_config` raises :class:`ConfigError` with one line that says what is wrong and
what is allowed; ``glgan.run`` prints that line and exits with status 2.

What is allowed is read from the config tree itself, never from a list kept here: the top-level keys of
``config.yaml``, the config group names, the top-level keys of every ``# @package _global_`` group file
(``experiment/*.yaml``), and for a plain group (``dataset``, ``method``) the keys its files define.
"""

from __future__ import annotations

import numbers
from functools import lru_cache
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from glgan.config_dir import CONFIG_DIR, PACKAGE_DIR, find_config_dir  # noqa: F401  (re-exported)

GLOBAL_PACKAGE = "@package _global_"


class ConfigError(ValueError):
    """A run configuration that cannot be right; the message is one line."""


@lru_cache(maxsize=None)  # every config file is read once per process (~80 files; 8 cost ~1 s per run)
def _load(path: Path) -> tuple[bool, dict]:
    """``(is a _global_ package, content without 'defaults')`` of one config file."""
    text = path.read_text()
    header = [line for line in text.splitlines() if line.startswith("#")]
    content = OmegaConf.to_container(OmegaConf.load(path), resolve=False) or {}
    content = dict(content) if isinstance(content, dict) else {}
    content.pop("defaults", None)
    return any(GLOBAL_PACKAGE in line for line in header), content


def _group_files(config_dir: Path) -> dict[str, list[Path]]:
    return {d.name: sorted(d.glob("*.yaml")) for d in sorted(config_dir.iterdir())
            if d.is_dir() and d.name != "hydra"}


def allowed_top_level(config_dir: Path) -> set[str]:
    """Every top-level key the config tree can define."""
    _, primary = _load(config_dir / "config.yaml")
    allowed = set(primary) | {"hydra"}
    for group, files in _group_files(config_dir).items():
        allowed.add(group)
        for path in files:
            is_global, content = _load(path)
            if is_global:
                allowed |= set(content)
    return allowed


def group_keys(config_dir: Path, group: str) -> set[str] | None:
    """Keys the files of a plain group define (``None`` when the group places itself elsewhere)."""
    files = _group_files(config_dir).get(group, [])
    keys: set[str] = set()
    for path in files:
        if any(line.startswith("# @package") for line in path.read_text().splitlines()):
            return None
        keys |= set(_load(path)[1])
    return keys or None


def _single_dataset(path: Path) -> bool:
    """Whether a dataset config names exactly one dataset (``usps.yaml`` -> ``name: usps``)."""
    return _load(path)[1].get("name") == path.stem


def dataset_names(config_dir: Path) -> tuple[set[str], bool]:
    """``(known dataset names, whether some dataset config is a collection whose name is chosen freely)``."""
    from glgan.data import DATASETS

    names, collection = set(DATASETS), False
    for path in _group_files(config_dir).get("dataset", []):
        if _single_dataset(path):
            names.add(path.stem)
        else:
            collection = True  # e.g. a benchmark config whose dataset.name picks one of many sets
    return names, collection


def _choices(text: set[str]) -> str:
    return ", ".join(sorted(text))


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_config(cfg: DictConfig, config_dir: Path, *, dataset_choice: str | None = None) -> None:
    """Raise :class:`ConfigError` (one line) if ``cfg`` has an unknown key or an impossible value.

    ``dataset_choice`` is the ``dataset`` group option Hydra chose, when known. A dataset config that is
    a collection (its ``name`` is not its file name) leaves the name to its loader.
    """
    config_dir = Path(config_dir)
    unknown = set(cfg.keys()) - allowed_top_level(config_dir)
    if unknown:
        raise ConfigError(f"unknown config key(s) {_choices(unknown)}; allowed top-level keys: "
                          f"{_choices(allowed_top_level(config_dir))}")
    for group in ("dataset", "method"):
        keys = group_keys(config_dir, group)
        if keys is not None and isinstance(cfg.get(group), DictConfig):
            extra = set(cfg[group].keys()) - keys
            if extra:
                raise ConfigError(f"unknown key(s) {_choices({f'{group}.{k}' for k in extra})}; "
                                  f"allowed under {group}: {_choices(keys)}")

    seed = cfg.get("seed")
    if not _is_int(seed) or seed < 0:
        raise ConfigError(f"seed={seed!r} is not allowed; a seed is an integer >= 0 (e.g. seed=3)")
    ratio = cfg.get("ratio")
    if not isinstance(ratio, numbers.Real) or isinstance(ratio, bool) or not 0 < ratio <= 1:
        raise ConfigError(f"ratio={ratio!r} is not allowed; the imbalance ratio is a number in (0, 1] "
                          "(the paper uses 0.01)")
    threads = cfg.get("threads")
    if threads is not None and (not _is_int(threads) or threads < 1):
        raise ConfigError(f"threads={threads!r} is not allowed; use null or an integer >= 1")
    if "scale" in cfg and cfg.scale not in ("minmax", "none"):
        raise ConfigError(f"scale={cfg.scale!r} is not allowed; use minmax or none")

    methods = {str(_load(p)[1].get("name", p.stem)) for p in _group_files(config_dir).get("method", [])}
    if "method" in cfg and cfg.method.get("name") not in methods:
        raise ConfigError(f"method.name={cfg.method.get('name')!r} is unknown; known methods: {_choices(methods)}")
    overrides = cfg.get("sampler_overrides") or {}
    bad = set(overrides.keys()) - methods
    if bad:
        raise ConfigError(f"sampler_overrides for unknown method(s) {_choices(bad)}; known methods: "
                          f"{_choices(methods)}")

    if "dataset" in cfg and "name" in cfg.dataset:
        names, some_collection = dataset_names(config_dir)
        if dataset_choice is not None:
            path = config_dir / "dataset" / f"{dataset_choice}.yaml"
            free = path.is_file() and not _single_dataset(path)
        else:
            free = some_collection  # cannot tell which config was chosen: leave the name to the loader
        if not free and cfg.dataset.name not in names:
            raise ConfigError(f"dataset.name={cfg.dataset.name!r} is unknown; known datasets: {_choices(names)} "
                              "(choose one with dataset=<name>)")
