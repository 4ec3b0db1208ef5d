"""``make reproduce``'s wall time, read from its saved output, for the sampler benchmark's report."""

from __future__ import annotations

import re
from pathlib import Path

_ELAPSED = re.compile(r"reproduce: finished \| elapsed (\d+):(\d\d):(\d\d)")
_HEADER = re.compile(r"reproduce: experiment '([^']+)', (\d+) seed\(s\), (\d+) worker\(s\)")
_SWEEP = re.compile(r"\[sweep \d+/\d+\] (\S+) (\S+): (\d+) cells \((\d+) methods.*\), (\d+) to run")


def reproduce_lines(paths: list[Path]) -> list[str]:
    """What the reproduce logs say about wall time: one line per log, then the total."""
    if not paths:
        return ["`make reproduce` wall time: **not measured in this run** (no reproduce log was given; "
                "rerun with `--reproduce-log FILE`, the saved output of `make reproduce`)."]
    lines, total = [], 0
    for path in paths:
        if not path.is_file():
            lines.append(f"- `{path.name}`: not found, not counted.")
            continue
        text = path.read_text(errors="replace")
        header, finished = _HEADER.search(text), _ELAPSED.findall(text)
        sweeps = _SWEEP.findall(text)
        if not finished:
            lines.append(f"- `{path.name}`: no `reproduce: finished` line (interrupted or still running); "
                         "not counted.")
            continue
        h, m, s = map(int, finished[-1])
        seconds = 3600 * h + 60 * m + s
        total += seconds
        what = f"experiment '{header.group(1)}', {header.group(2)} seeds, {header.group(3)} workers" \
            if header else "experiment unknown"
        skipped = sum(int(cells) - int(todo) for *_, cells, _n_methods, todo in sweeps)
        parts = ", ".join(f"{d} {p} ({mm} methods)" for d, p, _c, mm, _t in sweeps)
        stored = f"; {skipped} cells were already stored and not rerun" if skipped else ""
        lines.append(f"- `{path.name}`: {h}:{m:02d}:{s:02d} — {what}; sweeps: {parts or 'none'}{stored}.")
    if total:
        lines.insert(0, f"`make reproduce` wall time from the logs: **{total // 3600}:{total // 60 % 60:02d}:"
                        f"{total % 60:02d}** in total (the sum of the logs below).")
    else:
        lines.insert(0, "`make reproduce` wall time: **not measured in this run** (no finished log).")
    return lines
