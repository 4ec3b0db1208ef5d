"""The sampler benchmark behind ``scripts/bench.py`` (seconds and peak memory of every sampler's ``fit_resample``).

:mod:`~glgan.benchmarking.driver` plans the measurements and runs each in a fresh process,
:mod:`~glgan.benchmarking.worker` makes one, :mod:`~glgan.benchmarking.ctgan_adapter` is the CTGAN
reference, :mod:`~glgan.benchmarking.report` writes results/bench.md.
"""
