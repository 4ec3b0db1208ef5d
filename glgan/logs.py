"""Logging helpers named by ``configs/hydra/*_logging/glgan.yaml``: a sweep prints one concise line per run."""

from __future__ import annotations

import logging


class DropJobLines(logging.Filter):
    """Drop the launchers' ``#<n> : <overrides>`` line per job; the run's own result line names the cell."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("\t#")
