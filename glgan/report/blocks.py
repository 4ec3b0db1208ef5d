"""Generated blocks in README.md and docs/: every measured figure there is written from a results file.

A block sits between two markers and is rewritten whole by its template (a function of the project root that
returns Markdown)::

    <!-- BEGIN GENERATED: name -->
    ... written by the template registered as ``name`` ...
    <!-- END GENERATED: name -->

``make report`` and the benchmarks' ``--report-only`` rewrite every block (:func:`write_blocks`);
``tests/test_doc_blocks.py`` fails on a block that differs from what its template writes now
(:func:`stale_blocks`). Prose outside the blocks states no measured number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

Template = Callable[[Path], str]
BLOCK = re.compile(r"(?P<begin><!-- BEGIN GENERATED: (?P<name>[\w-]+) -->\n)(?P<body>.*?)"
                   r"(?P<end><!-- END GENERATED: (?P=name) -->)", re.DOTALL)
OPENING = re.compile(r"<!-- (BEGIN|END) GENERATED: ([\w-]+) -->")


class BlockError(ValueError):
    """A document's markers are unbalanced or name a block no template writes."""


def block_names(text: str) -> list[str]:
    """The names of the blocks in ``text``, in order; raises :class:`BlockError` on an unbalanced marker."""
    names = [m.group("name") for m in BLOCK.finditer(text)]
    markers = OPENING.findall(text)
    if len(markers) != 2 * len(names):
        raise BlockError(f"unbalanced generated-block markers: {len(markers)} markers for {len(names)} blocks "
                         f"({', '.join(f'{kind} {name}' for kind, name in markers)})")
    return names


def fill(text: str, templates: Mapping[str, Template], root: Path) -> str:
    """``text`` with the body of every block replaced by what its template writes now."""
    unknown = sorted(set(block_names(text)) - set(templates))
    if unknown:
        raise BlockError(f"no template writes the block(s) {', '.join(unknown)} "
                         f"(known: {', '.join(sorted(templates))})")

    def render(match: re.Match) -> str:
        body = templates[match.group("name")](root).rstrip("\n") + "\n"
        return match.group("begin") + body + match.group("end")

    return BLOCK.sub(render, text)


def stale_blocks(paths, templates: Mapping[str, Template], root: Path) -> list[str]:
    """One line per block of ``paths`` (relative to ``root``) whose text differs from its template's output."""
    stale = []
    for path in paths:
        text = (root / path).read_text()
        current = {m.group("name"): m.group("body") for m in BLOCK.finditer(text)}
        wanted = {m.group("name"): m.group("body") for m in BLOCK.finditer(fill(text, templates, root))}
        stale += [f"{path}: block '{name}' differs from what its template writes now (run `make report`)"
                  for name in current if current[name] != wanted[name]]
    return stale


def write_blocks(paths, templates: Mapping[str, Template], root: Path) -> list[Path]:
    """Rewrite every block of ``paths`` (relative to ``root``); return the files that changed."""
    changed = []
    for path in paths:
        file = root / path
        text = file.read_text()
        new = fill(text, templates, root)
        if new != text:
            file.write_text(new)
            changed.append(file)
    return changed


def outside_blocks(text: str) -> str:
    """``text`` without its generated blocks and fenced code (what is left is hand-written prose)."""
    text = BLOCK.sub("", text)
    return re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)


def markdown_table(frame: pd.DataFrame) -> str:
    """A pipe table of ``frame``'s cells as they are (format the numbers first); the index is not written."""
    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min"


def cpus_of(summary: Path) -> str:
    """The CPU model(s) named by the records behind a report: ``cpus`` in its ``headline.json`` or
    ``protocol.json`` ("CPU not recorded" for a report written before it listed them)."""
    cpus = json.loads(summary.read_text()).get("cpus") if summary.exists() else None
    return " and ".join(cpus) if cpus else "CPU not recorded"
