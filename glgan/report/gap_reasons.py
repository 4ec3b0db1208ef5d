"""The hand-written reasons for baseline misses (``results/paper/gap_reasons.yaml``): loading and validation.

Each entry names the cells it covers exactly (``dataset`` and explicit ``methods``, ``classifiers`` and
``metrics`` lists, whose product is the set of cells) and may list ``facts``: statements about the records
that :mod:`glgan.report.gap_facts` evaluates on every cell the entry explains. A reason whose facts all hold
is *verified*; one without facts is *plausible*; one with a false fact is *wrong*. Two entries naming the same
cell, an unknown key, name or fact raise, so a misspelt entry never silently explains nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from pathlib import Path

import yaml

from glgan.report.gap_facts import FACTS
from glgan.report.labels import CLASSIFIERS, DATASET_LABELS, METRICS, REFERENCE_METHOD, TABLE_METHODS, label

BASELINES = tuple(m for m in TABLE_METHODS if m != REFERENCE_METHOD)
REASONS_YAML = Path(__file__).resolve().parents[2] / "results" / "paper" / "gap_reasons.yaml"
CELL_KEYS = {"methods": BASELINES, "classifiers": CLASSIFIERS, "metrics": METRICS}
KEYS = {"dataset", "reason", "facts", *CELL_KEYS}


@dataclass(frozen=True)
class Fact:
    """One named predicate of :data:`glgan.report.gap_facts.FACTS` with its argument (``None``: none)."""

    name: str
    argument: object = None

    def __str__(self) -> str:
        return self.name if self.argument is None else f"{self.name}: {self.argument}"


@dataclass(frozen=True)
class GapReason:
    """One hand-written reason for the misses among the cells it names."""

    dataset: str
    reason: str
    methods: tuple[str, ...]
    classifiers: tuple[str, ...]
    metrics: tuple[str, ...]
    facts: tuple[Fact, ...] = ()

    def cells(self) -> set[tuple[str, str, str, str]]:
        """Every (dataset, method, classifier, metric) the entry names."""
        return {(self.dataset, m, c, k) for m, c, k in product(self.methods, self.classifiers, self.metrics)}

    def matches(self, dataset: str, method: str, classifier: str, metric: str) -> bool:
        return (dataset == self.dataset and method in self.methods and classifier in self.classifiers
                and metric in self.metrics)

    @property
    def label(self) -> str:
        names = [", ".join(label(n) for n in names) for names in (self.methods, self.classifiers, self.metrics)]
        return f"{label(self.dataset)} ({' / '.join(names)})"


def _names(entry: dict, key: str, where: str) -> tuple[str, ...]:
    if key not in entry:
        raise ValueError(f"{where}: '{key}' is required (list the cells the reason covers; "
                         f"choose from {list(CELL_KEYS[key])}).")
    names = entry[key]
    names = [names] if isinstance(names, str) else list(names)
    bad = sorted(set(names) - set(CELL_KEYS[key]))
    if bad or not names:
        raise ValueError(f"{where}: unknown or empty {key} {bad}; choose from {list(CELL_KEYS[key])}.")
    return tuple(names)


def _facts(entry: dict, where: str) -> tuple[Fact, ...]:
    facts = []
    for item in entry.get("facts") or []:
        if isinstance(item, str):
            name, argument = item, None
        elif isinstance(item, dict) and len(item) == 1:
            (name, argument), = item.items()
        else:
            raise ValueError(f"{where}: a fact is a name or a one-key mapping name: argument; got {item!r}.")
        if name not in FACTS:
            raise ValueError(f"{where}: unknown fact {name!r}; choose from {sorted(FACTS)}.")
        FACTS[name].check_argument(argument, where)
        facts.append(Fact(name, argument))
    return tuple(facts)


def load_reasons(path: str | Path = REASONS_YAML) -> list[GapReason]:
    """The reasons file: a list of mappings with ``dataset``, ``methods``, ``classifiers``, ``metrics``,
    ``reason`` and optional ``facts``; raises ``ValueError`` saying what to fix on any malformed entry."""
    entries = yaml.safe_load(Path(path).read_text()) or []
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a list of reasons, got {type(entries).__name__}.")
    reasons, owner = [], {}
    for i, entry in enumerate(entries):
        where = f"{path}, entry {i}"
        if not isinstance(entry, dict) or not {"dataset", "reason"} <= set(entry):
            raise ValueError(f"{where}: each reason needs 'dataset' and 'reason'; got {entry!r}.")
        unknown = set(entry) - KEYS
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {', '.join(sorted(KEYS))}.")
        if entry["dataset"] not in DATASET_LABELS:
            raise ValueError(f"{where}: unknown dataset {entry['dataset']!r}; choose from {list(DATASET_LABELS)}.")
        reason = GapReason(dataset=entry["dataset"], reason=" ".join(str(entry["reason"]).split()),
                           facts=_facts(entry, where), **{k: _names(entry, k, where) for k in CELL_KEYS})
        for cell in sorted(reason.cells()):
            if cell in owner:
                raise ValueError(f"{where}: cell {cell} is already named by entry {owner[cell]}; "
                                 "each cell has at most one reason.")
            owner[cell] = i
        reasons.append(reason)
    return reasons
