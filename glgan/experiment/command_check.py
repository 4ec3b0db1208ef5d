"""Checks that turn what Hydra or a constructor would answer with many lines into one :class:`ConfigError` line.

* :func:`check_group_choices` — ``dataset=madelonn``, ``method=smoote``: Hydra's "Could not override"
  text is checked for on the command line itself, before Hydra composes anything.
* :func:`check_sampler_class` — the method's class cannot be imported (``method=mdo`` without
  smote-variants): names the missing package and the command that installs it.
* :func:`check_sampler_parameters` — ``+sampler_overrides.glgan.latnt_dim=32``: names the class's valid
  parameters (and the closest one) instead of a ``TypeError`` from ``__init__``.
* :func:`check_run_config` — all of them, with the keys and values (:func:`check_config`) and the KEEL
  benchmark's set and fold, on a composed configuration: every check ``glgan.run`` makes before any work.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
from collections.abc import Sequence
from pathlib import Path

from omegaconf import DictConfig

from glgan.experiment.config_check import CONFIG_DIR, ConfigError, check_config
from glgan.experiment.run_keys import KEEL, is_cv, sampler_config

__all__ = ["check_group_choices", "check_run_config", "check_sampler_class", "check_sampler_parameters", "closest"]

#: Install commands for optional packages whose plain ``pip install <name>`` would be wrong.
_SMOTE_VARIANTS = ('pip install "glgan-repro[smote-variants]" && pip install --no-deps smote-variants==1.0.1 '
                   "(in a checkout: make setup)")
INSTALL_COMMANDS = {module: _SMOTE_VARIANTS for module in ("smote_variants", "minisom", "metric_learn", "seaborn")}
HYDRA_KEYS = {"_target_", "_convert_", "_partial_", "_recursive_", "_args_"}


def closest(word: str, choices: Sequence[str]) -> str:
    """`` (did you mean X?)`` for the closest of ``choices`` to ``word``, or an empty string."""
    match = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]}?)" if match else ""


def group_options(config_dir: Path, group: str) -> list[str]:
    """The option names of one config group: its file names without ``.yaml``."""
    return sorted(path.stem for path in (Path(config_dir) / group).glob("*.yaml"))


def _chosen_values(override) -> list[str]:
    """The option names one group override chooses; empty when they cannot be listed (``glob(...)``)."""
    from hydra.core.override_parser.types import ChoiceSweep

    if override.is_sweep_override():
        return [str(v) for v in override.value().list] if isinstance(override.value(), ChoiceSweep) else []
    value = override.value()
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def check_group_choices(args: Sequence[str], config_dir: Path) -> None:
    """Raise :class:`ConfigError` if a command-line override chooses a config group option that does not exist.

    ``args`` are the command-line arguments (flags are skipped). Arguments Hydra cannot parse are left
    to Hydra, which reports them itself.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    overrides = [arg for arg in args if not arg.startswith("-")]
    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
    except Exception:  # noqa: BLE001 - a syntax error is Hydra's to report
        return
    groups = {d.name for d in Path(config_dir).iterdir() if d.is_dir() and d.name != "hydra"}
    for override in parsed:
        group = override.key_or_group
        if group not in groups or override.is_delete():
            continue
        options = group_options(config_dir, group)
        for value in _chosen_values(override):
            if value not in options:
                raise ConfigError(f"{group}={value} is unknown{closest(value, options)}; allowed {group} values: "
                                  f"{', '.join(options)}")


def check_sampler_class(target: str, method: str):
    """Import the class ``target`` (``"baselines.MDO"``) of ``method=<method>`` and return it.

    Raises :class:`ConfigError` naming the missing package and how to install it when an import fails.
    """
    module_name, _, class_name = target.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), class_name)
    except ModuleNotFoundError as error:
        package = (error.name or "").split(".")[0]
        install = INSTALL_COMMANDS.get(package, f"pip install {package.replace('_', '-')}")
        raise ConfigError(f"method={method} needs the package {package}, which is not installed; install it with: "
                          f"{install}") from None
    except (ImportError, AttributeError) as error:
        raise ConfigError(f"method={method}: cannot import {target}: {error}") from None


def check_sampler_parameters(sampler_class, arguments: Sequence[str], method: str) -> None:
    """Raise :class:`ConfigError` if ``arguments`` holds a name ``sampler_class.__init__`` does not take."""
    signature = inspect.signature(sampler_class.__init__)
    if any(p.kind == p.VAR_KEYWORD for p in signature.parameters.values()):
        return
    valid = sorted(name for name in signature.parameters if name != "self")
    for name in sorted(set(arguments) - HYDRA_KEYS - set(valid)):
        raise ConfigError(f"sampler_overrides.{method}.{name}: {sampler_class.__name__} has no parameter {name!r}"
                          f"{closest(name, valid)}; its parameters: {', '.join(valid)}")


def check_cv_config(cfg: DictConfig) -> None:
    """Refuse a benchmark run on a non-KEEL dataset, an unlisted set or a fold out of range, before any work."""
    from glgan.data.keel import benchmark_lists, check_set
    from glgan.experiment.cv import check_cv

    if cfg.dataset.name != KEEL:
        raise ConfigError(f"experiment={cfg.experiment} cross-validates KEEL sets only (dataset=keel "
                          f"dataset.set=<set>), got dataset={cfg.dataset.name}")
    try:
        check_set(cfg.dataset.set, allow_unlisted=cfg.dataset.allow_unlisted)
        check_cv(int(cfg.cv.folds), int(cfg.cv.repeats), int(cfg.repeat), int(cfg.fold))
    except ValueError as error:
        listed = [name for sets in benchmark_lists().values() for name in sets]
        hint = closest(cfg.dataset.set, listed) if cfg.dataset.set not in listed else ""
        raise ConfigError(" ".join(str(error).split()) + hint) from None


def check_keel_protocol(cfg: DictConfig) -> None:
    """``dataset=keel`` runs only as a cross-validation fold of the KEEL benchmark experiments."""
    if not is_cv(cfg) and cfg.dataset.get("name") == KEEL:
        from glgan.data.keel import LISTS_FILE, benchmark_lists

        raise ConfigError(
            "dataset=keel holds the KEEL benchmark sets, which run as cross-validation folds: choose a set with "
            "experiment=benchmark-dev dataset.set=<set> fold=<0-4> (e.g. experiment=benchmark-dev "
            f"dataset.set=yeast3 method=smote fold=2); dev sets: {', '.join(benchmark_lists()['dev'])}; "
            f"eval sets (experiment=benchmark): see {LISTS_FILE.name} in the configs' benchmark/ folder")


def check_run_config(cfg: DictConfig, *, dataset_choice: str | None = None) -> None:
    """Every check made before any work; each failure is one :class:`ConfigError` line.

    The configuration's keys and values (:func:`check_config`), the benchmark's set and fold, and that
    the method's sampler class imports and takes every constructor argument the overrides give it.
    ``dataset_choice`` is the ``dataset`` group option chosen on the command line (Hydra's), if any.
    """
    check_config(cfg, CONFIG_DIR, dataset_choice=dataset_choice)
    check_keel_protocol(cfg)
    if is_cv(cfg):
        check_cv_config(cfg)
    sampler = sampler_config(cfg)
    sampler_class = check_sampler_class(sampler["_target_"], cfg.method.name)
    check_sampler_parameters(sampler_class, list(sampler.keys()), cfg.method.name)
