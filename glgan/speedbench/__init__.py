"""The sampler benchmark behind ``scripts/bench.py`` (seconds and peak memory of every sampler's ``fit_resample``).

:mod:`~glgan.speedbench.driver` plans the measurements and runs each in a fresh process,
:mod:`~glgan.speedbench.worker` makes one, :mod:`~glgan.speedbench.ctgan_adapter` is the CTGAN
reference, :mod:`~glgan.speedbench.report` writes results/bench.md.
"""
