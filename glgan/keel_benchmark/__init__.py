"""The KEEL benchmark beyond the paper: its plan (sets x methods x folds), the tasks that run it and its report.

The sets come from ``configs/benchmark/lists.yaml`` (loaded by :mod:`glgan.data.keel`); the folds are the
protocol's (:mod:`glgan.experiment.cv`); ``scripts/benchmark.py`` is the command line.
"""
