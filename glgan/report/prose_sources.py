"""Readers for the files the prose's figures summarise: logs, generated reports, tables and records.

Each reader takes a path relative to the project root and raises ``ValueError`` naming the file and what it
looked for when the file does not say it, so a changed format fails loudly instead of matching nothing.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]


def read(path: str) -> str:
    return (ROOT / path).read_text()


def matches(path: str, pattern: str) -> list[tuple[str, ...]]:
    """Every match of ``pattern`` in ``path`` (its groups); raises if there is none."""
    found = re.findall(pattern, read(path), flags=re.MULTILINE)
    if not found:
        raise ValueError(f"{path}: no text matches {pattern!r}")
    return [m if isinstance(m, tuple) else (m,) for m in found]


def group(path: str, pattern: str, which: int = -1) -> str:
    """The first group of the ``which``-th match (default: the last) of ``pattern`` in ``path``."""
    return matches(path, pattern)[which][0]


@lru_cache(maxsize=None)
def csv(path: str) -> pd.DataFrame:
    return pd.read_csv(ROOT / path)


def cell(path: str, column: str, **where) -> float:
    """The one value of ``column`` in the rows of CSV ``path`` where every ``where`` column equals its value."""
    frame = csv(path)
    for key, value in where.items():
        frame = frame[frame[key] == value]
    if len(frame) != 1:
        raise ValueError(f"{path}: {len(frame)} rows match {where}, expected 1")
    return float(frame[column].iloc[0])


def md_table(path: str, heading: str) -> pd.DataFrame:
    """The first Markdown table at or after the line containing ``heading`` in ``path`` (cells as strings)."""
    lines = read(path).splitlines()
    start = next((i for i, line in enumerate(lines) if heading in line), None)
    if start is None:
        raise ValueError(f"{path}: no line contains {heading!r}")
    rows = []
    for line in lines[start if lines[start].startswith("|") else start + 1:]:
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif rows:
            break
    if len(rows) < 3:
        raise ValueError(f"{path}: no table after {heading!r}")
    return pd.DataFrame(rows[2:], columns=rows[0])


def json_list(path: str) -> list[dict]:
    data = json.loads(read(path))
    return data if isinstance(data, list) else [data]


def first_records(pattern: str) -> list[dict]:
    """The first classifier record of every run file matching ``pattern`` (a glob under the project root)."""
    records = [json.loads(path.read_text())["records"][0] for path in sorted(ROOT.glob(pattern))]
    if not records:
        raise ValueError(f"no run records match {pattern}")
    return records


def record_field(pattern: str, field: str) -> str:
    """The one value ``field`` takes in the run records matching ``pattern``; raises if they disagree."""
    values = {str(r[field]) for r in first_records(pattern)}
    if len(values) != 1:
        raise ValueError(f"{pattern}: {field} takes {sorted(values)}, expected one value")
    return values.pop()


@lru_cache(maxsize=None)
def fold_quality(store: str, method: str, field: str = "quality_spread_ratio") -> pd.Series:
    """Per set, the mean over folds of a sample-quality field of ``method``'s fold records in ``store``.

    Where a set holds records of several configurations (an older run left in the store), only the
    configuration finished last counts.
    """
    frame = pd.DataFrame(first_records(f"{store}/*/{method}/*/*.json"))
    latest = frame.sort_values("finished_at").groupby("dataset")["config_hash"].last()
    frame = frame[frame["config_hash"] == frame["dataset"].map(latest)]
    return frame.groupby("dataset")[field].mean().astype(float).sort_index()


def minutes(hms: str) -> int:
    """``0:49:09`` -> 49 (whole minutes, rounded)."""
    h, m, s = (int(x) for x in hms.split(":"))
    return int(math.floor((h * 3600 + m * 60 + s) / 60 + 0.5))


def num(value: float, decimals: int) -> str:
    """``value`` rounded half away from zero to ``decimals`` (what a reader rounding by hand gets)."""
    scaled = abs(value) * 10 ** decimals
    rounded = math.floor(scaled + 0.5 + 1e-9) / 10 ** decimals
    return f"{math.copysign(rounded, value) + 0.0:.{decimals}f}"


def small(value: float) -> str:
    """Two decimals, or three below 0.01 (0.005 must not print as 0.00)."""
    return num(value, 3) if abs(value) < 0.01 else num(value, 2)
