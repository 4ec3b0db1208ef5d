# Every target sets itself up: a fresh clone needs only `make test` or `make reproduce`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Data: $GLGAN_DATA_DIR if set, else ../shared/data when it exists, else the project's data/ cache.
GLGAN_DATA_DIR ?= $(if $(wildcard ../shared/data),$(abspath ../shared/data),$(CURDIR)/data)
export GLGAN_DATA_DIR
# Parallel workers and tests stay single-threaded per process (see docs/REPRODUCTION.md, "Speed").
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
export PYTHONHASHSEED := 0

.PHONY: setup test test-fast reproduce reproduce-quick report table1 bench bench-threads profile clean-venv
.PHONY: benchmark benchmark-dev benchmark-quick sensitivity
JOBS ?= 2

setup: $(STAMP)

$(STAMP): requirements.txt requirements-nodeps.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

test: $(STAMP)
	$(PY) -m pytest -q tests --nbmake notebooks/results.ipynb

reproduce: $(STAMP)
	$(PY) scripts/reproduce.py --jobs $(JOBS)
	$(PY) notebooks/execute.py

reproduce-quick: $(STAMP)
	$(PY) scripts/reproduce.py --quick --jobs $(JOBS)

# The KEEL benchmark beyond the paper: eval list -> results/benchmark/, dev list ->
# results/benchmark-dev/, three small dev sets with short training -> results/benchmark-quick/ (git-ignored).
# Resumable: stored folds are skipped. BENCHMARK_ARGS passes e.g. --sets/--methods/--report-only.
benchmark: $(STAMP)
	$(PY) scripts/benchmark.py --experiment benchmark --jobs $(JOBS) $(BENCHMARK_ARGS)

benchmark-dev: $(STAMP)
	$(PY) scripts/benchmark.py --experiment benchmark-dev --jobs $(JOBS) $(BENCHMARK_ARGS)

benchmark-quick: $(STAMP)
	$(PY) scripts/benchmark.py --experiment benchmark-quick --jobs $(JOBS) $(BENCHMARK_ARGS)

# GL-GAN's settings one at a time on the dev list, SMOTE's k beside it -> results/benchmark-dev/sensitivity.md
# (grid: configs/benchmark/sensitivity.yaml; records: results/runs/sensitivity/, resumable).
sensitivity: $(STAMP)
	$(PY) scripts/sensitivity.py --jobs $(JOBS) $(SENSITIVITY_ARGS)

# Tables and figures from the committed records, then the notebook re-executed on them (its saved outputs
# must match results/: tests/test_notebook_outputs.py).
report: $(STAMP)
	$(PY) scripts/make_report.py --jobs $(JOBS)
	$(PY) notebooks/execute.py

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

table1: $(STAMP)
	$(PY) scripts/table1.py

# Sampler benchmark -> results/bench.md (23 min at c49385b, 1 thread; BENCH_ARGS=--quick for a 2-min smoke run).
# CTGAN, its external reference, is installed only here and without dependency resolution, which would
# downgrade pandas (requirements-bench.txt); the check after it fails loudly if a pin moved anyway.
# The saved output of `make reproduce` (REPRODUCE_LOG, default results/reproduce.log when present) gives its
# wall time.
REPRODUCE_LOG ?= $(wildcard results/reproduce.log)
bench: $(STAMP)
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -r requirements-bench.txt
	$(PY) -c "import re; from importlib.metadata import version as v; pins = dict(re.findall(r'^([\w-]+)==(\S+)', open('requirements.txt').read(), re.M)); moved = {p: (pin, v(p)) for p, pin in pins.items() if v(p).split('+')[0] != pin}; assert not moved, f'pins moved (wanted, installed): {moved}'"
	$(PY) scripts/bench.py $(foreach log,$(REPRODUCE_LOG),--reproduce-log $(log)) $(BENCH_ARGS)

# Where a GL-GAN fit spends its time (pyinstrument, one thread, about 3 min) -> results/profile_glgan.md (the
# default training budget, n_majority 10^4 and 10^5) and results/profile_glgan_unbudgeted.md (full epochs, 10^4).
profile: $(STAMP)
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -r requirements-bench.txt
	$(PY) scripts/profile_glgan.py --sizes 10000,100000 --out results/profile_glgan.md
	$(PY) scripts/profile_glgan.py --sizes 10000 --set max_epoch_rows=null --out results/profile_glgan_unbudgeted.md

# Threads benchmark -> results/bench_threads.md: GL-GAN's default n_threads=1 against torch's default
# threads, idle, beside 1 and 2 busy processes, and in cross_val_score(n_jobs=2) (about 10 min on 2 cores;
# BENCH_THREADS_ARGS=--quick for a smoke run). Its workers drop the OMP/MKL/OpenBLAS variables exported above.
bench-threads: $(STAMP)
	$(PY) scripts/bench_threads.py $(BENCH_THREADS_ARGS)

clean-venv:
	rm -rf $(VENV)
