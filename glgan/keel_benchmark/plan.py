"""What a KEEL benchmark experiment runs (its ``plan:`` block), and one fold composed as the runner would.

``scripts/benchmark.py`` turns the plan into one task per (set, method, repeat, fold), biggest sets first,
and runs them in parallel single-threaded workers through :func:`glgan.keel_benchmark.tasks.run_task`, which composes the
runner's own Hydra config with :func:`fold_config` (so the config hash, and with it resuming, is the same as
``python -m glgan.run``).
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, replace
from pathlib import Path

from omegaconf import OmegaConf

from glgan.experiment.cells import CONFIG_DIR

# Slowest samplers first within a set, so that the last tasks of a run are short ones.
COST_ORDER = ("glgan", "bagan", "cgan", "auto_only", "plain_ae", "threshold", "swim", "smote_ipf", "nras", "prowsyn",
              "mdo")


@dataclass(frozen=True)
class BenchmarkPlan:
    experiment: str
    list_name: str | None  # "dev"/"eval" when the plan names a list, None for explicit sets
    sets: tuple[str, ...]
    methods: tuple[str, ...]
    reference: str
    folds: int
    repeats: int
    classifiers: tuple[str, ...] = ("mlp", "linear_svc", "adaboost")
    first_sets: int | None = None  # the report also answers on the plan's first N sets (an earlier, shorter list)

    def restrict(self, *, sets=None, methods=None, repeats=None) -> BenchmarkPlan:
        """A smaller plan (a test, a partial rerun); ``None`` keeps a field."""
        keep = lambda values, allowed: tuple(v for v in values if allowed is None or v in allowed)  # noqa: E731
        return replace(self, sets=keep(self.sets, sets), methods=keep(self.methods, methods),
                       repeats=self.repeats if repeats is None else min(self.repeats, int(repeats)))


@dataclass(frozen=True)
class Task:
    set: str
    method: str
    repeat: int
    fold: int

    @property
    def label(self) -> str:
        return f"{self.set}/{self.method} repeat={self.repeat} fold={self.fold}"


def load_benchmark_plan(experiment: str, config_dir: Path = CONFIG_DIR) -> BenchmarkPlan:
    """Read and check ``configs/experiment/<experiment>.yaml``'s ``plan:`` and ``cv:`` blocks."""
    from glgan.data.keel import benchmark_lists, check_set

    path = config_dir / "experiment" / f"{experiment}.yaml"
    if not path.is_file():
        raise FileNotFoundError(f"No experiment config {path}.")
    config = OmegaConf.load(path)
    if "plan" not in config or "cv" not in config:
        raise ValueError(f"{path} has no 'plan:' and 'cv:' blocks: it is not a KEEL benchmark experiment.")
    plan = config.plan
    unknown = set(plan) - {"sets", "methods", "reference", "first_sets"}
    if unknown:
        raise ValueError(f"{path}: unknown plan keys {sorted(unknown)}; allowed: sets, methods, reference, first_sets.")
    lists = benchmark_lists()
    list_name = str(plan.sets) if isinstance(plan.sets, str) else None
    if list_name is not None and list_name not in lists:
        raise ValueError(f"{path}: plan.sets must be one of {sorted(lists)} or a list of set names, got {list_name!r}.")
    sets = lists[list_name] if list_name else tuple(plan.sets)
    for name in sets:
        check_set(name)
    methods = tuple(plan.methods)
    missing = [m for m in methods if not (config_dir / "method" / f"{m}.yaml").is_file()]
    if missing:
        raise ValueError(f"{path}: no method config for {missing} in {config_dir / 'method'}.")
    if plan.reference not in methods:
        raise ValueError(f"{path}: plan.reference {plan.reference!r} is not among the plan's methods.")
    first = plan.get("first_sets")
    if first is not None and not (isinstance(first, int) and 0 < first < len(sets)):
        raise ValueError(f"{path}: plan.first_sets must be an integer between 1 and {len(sets) - 1}, got {first!r}.")
    return BenchmarkPlan(str(config.experiment), list_name, tuple(sets), methods, str(plan.reference),
                         int(config.cv.folds), int(config.cv.repeats), experiment_classifiers(config, config_dir), first)


def experiment_classifiers(config, config_dir: Path = CONFIG_DIR) -> tuple[str, ...]:
    """The classifiers an experiment runs: its ``override /classifier`` default, else ``config.yaml``'s."""
    for entry in config.get("defaults", []):
        if isinstance(entry, dict) or OmegaConf.is_dict(entry):
            for key, value in entry.items():
                if key.removeprefix("override ").strip("/ ") == "classifier":
                    return tuple(value) if OmegaConf.is_list(value) or isinstance(value, list) else (str(value),)
    for entry in OmegaConf.load(config_dir / "config.yaml").defaults:
        if OmegaConf.is_dict(entry) and "classifier" in entry:
            return tuple(entry.classifier)
    raise ValueError(f"No classifier default in {config_dir / 'config.yaml'}.")


def order_tasks(plan: BenchmarkPlan, sizes: dict[str, int]) -> list[Task]:
    """Every task of ``plan``: biggest sets first (``sizes``: rows x features), slow samplers first within a set."""
    cost = {m: i for i, m in enumerate(COST_ORDER)}
    sets = sorted(plan.sets, key=lambda s: -sizes.get(s, 0))
    methods = sorted(plan.methods, key=lambda m: cost.get(m, len(COST_ORDER)))
    return [Task(s, m, r, f) for s in sets for m in methods for r in range(plan.repeats) for f in range(plan.folds)]


def compose_fold(experiment: str, task: Task, overrides=()):
    """The runner's configuration of one fold, composed from ``configs/`` exactly as ``glgan.run`` would."""
    from hydra import compose, initialize_config_dir

    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose(config_name="config", overrides=[
            f"experiment={experiment}", "dataset=keel", f"dataset.set={task.set}", f"method={task.method}",
            f"repeat={task.repeat}", f"fold={task.fold}", *overrides])


@functools.lru_cache(maxsize=32)
def _composed(experiment: str, method: str, overrides: tuple[str, ...]):
    return compose_fold(experiment, Task("", method, 0, 0), overrides)


def fold_config(experiment: str, task: Task, overrides=()):
    """:func:`compose_fold`, composed once per (experiment, method) in a process and then given the task's
    set, repeat and fold (plain values; the result is identical and saves ~1 s of Hydra per task)."""
    cfg = copy.deepcopy(_composed(experiment, task.method, tuple(overrides)))
    for key, value in (("dataset.set", task.set), ("repeat", task.repeat), ("fold", task.fold)):
        OmegaConf.update(cfg, key, value)
    return cfg


def task_keys(experiment: str, tasks, overrides=()) -> dict[Task, object]:
    """The store key the runner would give each task (one Hydra compose per method, not per task)."""
    from dataclasses import replace as with_fields

    from glgan.experiment.run_keys import run_key

    keys, hashes = {}, {}
    for task in tasks:  # the hash depends on the set and method, not on repeat and fold
        if (task.set, task.method) not in hashes:
            hashes[task.set, task.method] = run_key(fold_config(experiment, task, overrides))
        keys[task] = with_fields(hashes[task.set, task.method], repeat=task.repeat, fold=task.fold)
    return keys
