"""Templates of the generated blocks in docs/REPRODUCTION.md (see :mod:`glgan.report.blocks`)."""

from __future__ import annotations

TEMPLATES: dict = {}
