"""The sampler benchmark behind ``scripts/bench.py`` (seconds and peak memory of every sampler's ``fit_resample``).

:mod:`~glgan.speed.driver` plans the measurements and runs each in a fresh process,
:mod:`~glgan.speed.worker` makes one, :mod:`~glgan.speed.ctgan_adapter` is the CTGAN
reference, :mod:`~glgan.speed.report` writes results/bench.md.
"""
