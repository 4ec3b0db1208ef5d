"""Benchmark every sampler's ``fit_resample``: seconds and peak memory (issue 6) -> results/bench.md.

    python scripts/bench.py                       # the full benchmark, 1 thread (about 50 min; GL-GAN at n = 10^6 is 30 of them)
    python scripts/bench.py --quick               # smoke run, under 2 minutes
    python scripts/bench.py --threads 2           # BLAS/torch threads per measurement
    python scripts/bench.py --methods glgan,smote --device cuda --no-ctgan --out results/bench_gpu.md
    python scripts/bench.py --reproduce-log logs/reproduce.log   # add `make reproduce`'s wall time

What is measured:

* every method of ``configs/method/`` on the r = 0.01 split (seed 0) of each dataset of the paper plan
  that is held here, built and scaled exactly as the runner builds them (``glgan.report.cells``);
* GL-GAN and SMOTE on synthetic data with d = 50 features and n_majority in {10^3, ..., 10^6}
  (minority at r = 0.01);
* CTGAN (the ``ctgan`` package, ``requirements-bench.txt``) on the same data as the external reference.

Each measurement runs in a fresh subprocess (``--worker``), so one sampler's allocations cannot inflate
another's peak. Memory is the process's resident set: the peak (``VmHWM``, the quantity
``resource.getrusage`` reports as ``ru_maxrss``) is reset through ``/proc/self/clear_refs`` just before
``fit_resample``, after the data is built and the loaded dataset freed, so it covers the fit alone.
Where that reset is unavailable (not Linux), the peak covers the whole process and the report says so.
A measurement is stopped at ``--time-limit`` seconds (``--scaling-time-limit`` for GL-GAN's and SMOTE's
synthetic sizes, whose n = 10^6 row the scaling target needs), and a size is skipped without running when
the previous size's time, scaled linearly in n, predicts it would exceed the limit. Both are marked in the
report; nothing is left out silently.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy/torch load; --threads overrides it per measurement

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import shlex  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MIB = 2**20
RATIO = 0.01
SEED = 0
FEATURES = 50
SIZES = (10**3, 10**4, 10**5, 10**6)
QUICK_SIZES = (10**3, 10**4)
SYNTHETIC_METHODS = ("glgan", "glgan_paper", "auto_only", "bagan", "smote")
REFERENCE = "smote"
CTGAN = "ctgan"
# Seconds allowed to a worker beyond the fit itself (interpreter start, imports, data) before it is killed.
SETUP_ALLOWANCE = 180


# --------------------------------------------------------------------------------------------------
# Worker: one measurement in a fresh process
# --------------------------------------------------------------------------------------------------


def _rss_bytes(field_name: str) -> int | None:
    """``VmRSS`` / ``VmHWM`` of this process from /proc (Linux), in bytes."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    """Reset the resident-set high-water mark (Linux >= 4.0); False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _peak_rss_bytes() -> int:
    import resource

    hwm = _rss_bytes("VmHWM")
    if hwm is not None:
        return hwm
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def synthetic_data(n_majority: int, n_features: int, seed: int):
    """Majority uniform on [0, 1]^d, minority (r = 0.01) uniform on [0.25, 0.75]^d; float32, shuffled.

    Already in [0, 1], as the runner's min-max scaled training rows are. Built in float32 directly so
    that the largest size does not pass through a float64 copy.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    n_minority = max(2, round(RATIO * n_majority))
    X = rng.random((n_majority + n_minority, n_features), dtype=np.float32)
    X[n_majority:] *= 0.5
    X[n_majority:] += 0.25
    y = np.zeros(n_majority + n_minority, dtype=np.int64)
    y[n_majority:] = 1
    order = rng.permutation(len(y))
    return X[order], y[order]


class CTGANOverSampler:
    """CTGAN fitted on the rows and the label (as its discrete column), then sampled for the minority.

    Only for timing. CTGAN's conditional sampling does not guarantee the label of a sampled row, so the
    synthetic rows are not a faithful over-sampler's output; the benchmark only times the fit and the
    sampling of the same number of rows the other samplers generate.
    """

    def __init__(self, *, epochs: int, random_state: int, device: str):
        self.epochs, self.random_state, self.device = epochs, random_state, device
        self.preprocessing_seconds = 0.0

    def fit_resample(self, X, y):
        import numpy as np
        import pandas as pd
        from ctgan import CTGAN as _CTGAN
        from ctgan.synthesizers import ctgan as ctgan_module

        columns = [f"x{i}" for i in range(X.shape[1])]
        frame = pd.DataFrame(X, columns=columns)
        frame["label"] = y
        labels, counts = np.unique(y, return_counts=True)
        minority, n_new = labels[np.argmin(counts)], int(counts.max() - counts.min())

        # CTGAN's fit starts with its mode-specific normalisation (a Bayesian GMM per column); time it
        # apart from the adversarial training by wrapping the transformer class it uses.
        outer = self

        class TimedTransformer(ctgan_module.DataTransformer):
            def fit(self, *args, **kwargs):
                start = time.perf_counter()
                try:
                    return super().fit(*args, **kwargs)
                finally:
                    outer.preprocessing_seconds += time.perf_counter() - start

            def transform(self, *args, **kwargs):
                start = time.perf_counter()
                try:
                    return super().transform(*args, **kwargs)
                finally:
                    outer.preprocessing_seconds += time.perf_counter() - start

        ctgan_module.DataTransformer, original = TimedTransformer, ctgan_module.DataTransformer
        try:
            model = _CTGAN(epochs=self.epochs, enable_gpu=self.device == "cuda", verbose=False)
            model.set_random_state(self.random_state)
            model.fit(frame, discrete_columns=["label"])
        finally:
            ctgan_module.DataTransformer = original
        new = model.sample(n_new, condition_column="label", condition_value=minority)
        X_new = new[columns].to_numpy(dtype=X.dtype)
        return np.concatenate([X, X_new]), np.concatenate([y, np.full(n_new, minority, dtype=y.dtype)])


def ctgan_epochs() -> int:
    """CTGAN epochs comparable to GL-GAN's training: its number of adversarial rounds.

    A CTGAN epoch updates D and G once per minibatch over all rows; a GL-GAN round trains D, C and G
    for one epoch each. GL-GAN's autoencoder pretraining has no CTGAN counterpart.
    """
    from glgan import GLGAN

    return int(GLGAN().gan_epochs)


def build_sampler(spec: dict):
    """The runner's sampler for ``spec["method"]`` (composed from configs/), or the CTGAN reference."""
    if spec["method"] == CTGAN:
        return CTGANOverSampler(epochs=spec.get("ctgan_epochs") or ctgan_epochs(), random_state=SEED,
                                device=spec["device"])
    from glgan.report.cells import compose_cell, make_sampler

    dataset = spec["dataset"] if spec["kind"] == "held" else "usps"  # the sampler config ignores it
    cfg = compose_cell(spec["experiment"], dataset, spec["method"], SEED, RATIO, spec.get("overrides", ()))
    sampler = make_sampler(cfg)
    if "device" in sampler.get_params():
        sampler.set_params(device=spec["device"])  # explicit, so a CPU benchmark stays on the CPU
    return sampler


def load_data(spec: dict):
    """Training rows of the measurement: a held dataset's scaled r = 0.01 split, or synthetic rows."""
    if spec["kind"] == "synthetic":
        return synthetic_data(spec["n_majority"], spec["n_features"], SEED)
    from glgan.data import load_dataset
    from glgan.report.cells import cell_split, compose_cell

    cfg = compose_cell(spec["experiment"], spec["dataset"], REFERENCE, SEED, RATIO, spec.get("overrides", ()))
    dataset = load_dataset(cfg.dataset.name, cfg.data_dir, allow_partial=cfg.dataset.allow_partial,
                           download=False)
    split = cell_split(cfg, dataset)
    return split.X_train, split.y_train


class _FitTimeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise _FitTimeout


def measure(spec: dict) -> dict:
    """Run one ``fit_resample`` as ``spec`` says; return seconds and memory (in this process)."""
    import numpy as np
    import torch

    torch.set_num_threads(spec["threads"])
    # The first torch optimiser of a process imports torch._dynamo (about 1 s). A reused worker pays
    # it once, so it is paid here before the clock starts.
    torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))])
    cuda = spec["device"].startswith("cuda")
    if cuda:
        if not torch.cuda.is_available():
            raise SystemExit("device=cuda was asked for but torch.cuda.is_available() is False")
        torch.zeros(1, device=spec["device"])
        torch.cuda.synchronize()

    X, y = load_data(spec)
    sampler = build_sampler(spec)
    gc.collect()
    rss_before = _rss_bytes("VmRSS")
    peak_is_fit_only = _reset_peak_rss()
    if cuda:
        torch.cuda.reset_peak_memory_stats()

    previous_handler = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(int(math.ceil(spec["time_limit"])))
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        X_res, y_res = sampler.fit_resample(X, y)
        if cuda:
            torch.cuda.synchronize()
    except _FitTimeout:
        return {"status": "timeout", "seconds": time.perf_counter() - wall}
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous_handler)
    seconds, cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
    X_res, y_res = np.asarray(X_res), np.asarray(y_res)

    result = {
        "status": "ok",
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "n_rows": int(len(y)),
        "n_features": int(X.shape[1]),
        "n_minority": int(np.sum(y == 1)),
        "n_synthetic": int(len(y_res) - len(y)),
        "input_bytes": int(X.nbytes + y.nbytes),
        "output_bytes": int(X_res.nbytes + y_res.nbytes),
        "rss_before": rss_before,
        "peak_rss": _peak_rss_bytes(),
        "peak_is_fit_only": peak_is_fit_only,
    }
    if cuda:
        result["gpu_peak_bytes"] = int(torch.cuda.max_memory_allocated())
    if isinstance(sampler, CTGANOverSampler):
        result["preprocessing_seconds"] = sampler.preprocessing_seconds
        result["epochs"] = sampler.epochs
    return result


def worker_main(spec_json: str) -> None:
    result = measure(json.loads(spec_json))
    print("BENCH-RESULT " + json.dumps(result), flush=True)


# --------------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One measurement: what was run and what came back (``result["status"]``: ok, timeout, skipped, failed)."""

    kind: str  # "held" or "synthetic"
    dataset: str
    method: str
    n_majority: int | None
    result: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.result.get("status") == "ok"


def run_worker(spec: dict, threads: int) -> dict:
    """Run ``spec`` in a fresh interpreter with ``threads`` BLAS/OpenMP/torch threads."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = str(threads)
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(spec)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env,
                              timeout=spec["time_limit"] + SETUP_ALLOWANCE)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "note": "killed: setup plus fit exceeded the limit"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("BENCH-RESULT "):
            return json.loads(line[len("BENCH-RESULT "):])
    tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
    return {"status": "failed", "note": " / ".join(tail)[-300:] or f"exit code {done.returncode}"}


def held_datasets(wanted: list[str] | None) -> list[tuple[str, tuple[str, ...], str]]:
    """``(name, overrides, status line)`` for each dataset of the plan; overrides None when not held."""
    from glgan.report.held import check_dataset
    from glgan.report.plan import load_plan

    names = load_plan("paper").datasets if wanted is None else wanted
    out = []
    for name in names:
        status = check_dataset(name, download=False)
        out.append((name, status.overrides if status.held else None, status.line))
    return out


def all_methods() -> list[str]:
    return sorted(p.stem for p in (ROOT / "configs" / "method").glob("*.yaml"))


def predicted_over_limit(previous: Row | None, n_majority: int, limit: float) -> float | None:
    """Linear-in-n prediction of the fit time from the previous size, when it is over ``limit``."""
    if previous is None or previous.n_majority is None:
        return None
    if previous.result.get("status") in ("timeout", "skipped"):
        return math.inf
    if not previous.ok:
        return None
    guess = previous.result["seconds"] * n_majority / previous.n_majority
    return guess if guess > limit else None


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run_benchmark(args) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    notes: list[str] = []
    base = {"experiment": args.experiment, "threads": args.threads, "device": args.device,
            "time_limit": args.time_limit, "ctgan_epochs": args.ctgan_epochs}
    methods = args.methods or all_methods()
    with_ctgan = not args.no_ctgan

    for name, overrides, line in held_datasets(args.datasets):
        if overrides is None:
            notes.append(f"Not measured: {line}")
            continue
        for method in [*methods, *([CTGAN] if with_ctgan and not args.quick else [])]:
            spec = {**base, "kind": "held", "dataset": name, "method": method, "overrides": list(overrides)}
            log(f"{name} / {method}")
            rows.append(Row("held", name, method, None, run_worker(spec, args.threads)))

    synthetic_methods = [m for m in SYNTHETIC_METHODS if args.methods is None or m in args.methods]
    for method in [*synthetic_methods, *([CTGAN] if with_ctgan else [])]:
        previous = None
        # --quick keeps CTGAN to the smallest size: its per-column preprocessing alone takes ~15 s there.
        limit = args.time_limit if method == CTGAN else args.scaling_time_limit
        for n in args.sizes[:1] if method == CTGAN and args.quick else args.sizes:
            row = Row("synthetic", f"synthetic d={args.features}", method, n)
            guess = predicted_over_limit(previous, n, limit)
            if guess is not None:
                why = ("the previous size did not finish" if math.isinf(guess)
                       else f"predicted ≈ {guess:.0f} s from n = {previous.n_majority:,}")
                row.result = {"status": "skipped", "note": f"{why}, over the {limit:g} s limit"}
                log(f"synthetic n={n:,} / {method}: skipped ({row.result['note']})")
            else:
                spec = {**base, "kind": "synthetic", "dataset": "synthetic", "method": method,
                        "n_majority": n, "n_features": args.features, "time_limit": limit}
                log(f"synthetic n={n:,} / {method}")
                row.result = run_worker(spec, args.threads)
            rows.append(row)
            previous = row
    return rows, notes


# --------------------------------------------------------------------------------------------------
# make reproduce wall time, from its log
# --------------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------


def _mib(n_bytes) -> str:
    return "—" if n_bytes is None else f"{n_bytes / MIB:,.1f}"


def _status(row: Row) -> str:
    status = row.result.get("status", "failed")
    note = row.result.get("note", "")
    if status == "timeout":
        return f"stopped at the limit{': ' + note if note else ''}"
    return f"{status}: {note}" if note else status


def _reference(rows: list[Row], row: Row) -> Row | None:
    for other in rows:
        if (other.method == REFERENCE and other.kind == row.kind and other.dataset == row.dataset
                and other.n_majority == row.n_majority and other.ok):
            return other
    return None


def _ratio(a: Row | None, b: Row | None) -> str:
    if a is None or b is None or not (a.ok and b.ok) or b.result["seconds"] <= 0:
        return "—"
    value = a.result["seconds"] / b.result["seconds"]
    return f"{value:.2g}" if value < 1 else f"{value:,.1f}"


def _gpu(result: dict) -> str:
    return f" (GPU peak {_mib(result['gpu_peak_bytes'])} MiB)" if "gpu_peak_bytes" in result else ""


def _beyond_data(result: dict) -> int | None:
    """Peak RSS minus RSS before the fit (interpreter, libraries, input rows) minus the returned arrays."""
    if result.get("rss_before") is None:
        return None
    return result["peak_rss"] - result["rss_before"] - result["output_bytes"]


def held_table(rows: list[Row]) -> list[str]:
    out = []
    for dataset in dict.fromkeys(r.dataset for r in rows if r.kind == "held"):
        group = [r for r in rows if r.kind == "held" and r.dataset == dataset]
        first = next((r for r in group if r.ok), None)
        shape = (f" — {first.result['n_rows']:,} training rows ({first.result['n_minority']} minority), "
                 f"d = {first.result['n_features']}") if first else ""
        out += [f"### {dataset}{shape}", "",
                "| method | seconds | CPU seconds | × SMOTE | peak RSS (MiB) | beyond data (MiB) | status |",
                "|---|---|---|---|---|---|---|"]
        for r in group:
            res = r.result
            if r.ok:
                out.append(f"| {r.method} | {res['seconds']:.2f} | {res['cpu_seconds']:.2f} | "
                           f"{_ratio(r, _reference(rows, r))} | {_mib(res['peak_rss'])} | "
                           f"{_mib(_beyond_data(res))} | ok{_gpu(res)} |")
            else:
                out.append(f"| {r.method} | — | — | — | — | — | {_status(r)} |")
        out.append("")
    return out


def synthetic_table(rows: list[Row]) -> list[str]:
    group = [r for r in rows if r.kind == "synthetic"]
    if not group:
        return []
    out = ["| method | n majority | rows | seconds | µs per row | × SMOTE | peak RSS (MiB) | input + output "
           "(MiB) | beyond data (MiB) | status |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for r in group:
        res = r.result
        if r.ok:
            per_row = 1e6 * res["seconds"] / res["n_rows"]
            out.append(f"| {r.method} | {r.n_majority:,} | {res['n_rows']:,} | {res['seconds']:.2f} | "
                       f"{per_row:,.1f} | {_ratio(r, _reference(rows, r))} | {_mib(res['peak_rss'])} | "
                       f"{_mib(res['input_bytes'] + res['output_bytes'])} | {_mib(_beyond_data(res))} | "
                       f"ok{_gpu(res)} |")
        else:
            out.append(f"| {r.method} | {r.n_majority:,} | — | — | — | — | — | — | — | {_status(r)} |")
    return out + [""]


#: The speed targets of the training budget (docs/REPRODUCTION.md §12): seconds at the defaults, one thread.
SPEED_TARGETS = {"usps": 2.0, 10**5: 30.0, 10**6: 120.0}
BUDGETED_METHODS = ("glgan", "glgan_paper", "auto_only", "bagan")


def _verdict(ok: bool) -> str:
    return "met" if ok else "**NOT met**"


def scaling_lines(rows: list[Row]) -> list[str]:
    """The training budget's targets: GL-GAN's seconds at 10^5 and 10^6 rows and on USPS, its growth from 10^4
    to 10^5, its memory beyond the data against SMOTE's; and the same growth for the other budgeted samplers."""
    out = []
    usps = next((r for r in rows if r.kind == "held" and r.dataset == "usps" and r.method == "glgan" and r.ok), None)
    if usps is not None:
        seconds = usps.result["seconds"]
        out.append(f"- GL-GAN on the USPS split: {seconds:.1f} s (target ≤ {SPEED_TARGETS['usps']:g} s: "
                   f"{_verdict(seconds <= SPEED_TARGETS['usps'])}).")
    for method in BUDGETED_METHODS:
        sizes = {r.n_majority: r for r in rows if r.kind == "synthetic" and r.method == method}
        if not sizes:
            continue
        parts = [f"{sizes[n].result['seconds']:.1f} s at {n:,}" if sizes[n].ok else f"n = {n:,} {_status(sizes[n])}"
                 for n in sorted(sizes)]
        line = f"- {method}, synthetic d = 50: " + ", ".join(parts)
        if all(n in sizes and sizes[n].ok for n in (10**4, 10**5)):
            growth = sizes[10**5].result["seconds"] / sizes[10**4].result["seconds"]
            line += f"; 10^5 takes {growth:.2f}× the time of 10^4 (target ≤ 2×: {_verdict(growth <= 2)})"
        if method == "glgan":
            for n in (10**5, 10**6):
                if n in sizes and sizes[n].ok:
                    line += (f"; {n:,} rows within {SPEED_TARGETS[n]:g} s: "
                             f"{_verdict(sizes[n].result['seconds'] <= SPEED_TARGETS[n])}")
        out.append(line + ".")
    glgan = {r.n_majority: r for r in rows if r.kind == "synthetic" and r.method == "glgan" and r.ok and r.n_majority >= 10**4}
    beyond = {n: _beyond_data(r.result) for n, r in glgan.items()}
    if len(glgan) >= 2 and all(v is not None for v in beyond.values()):
        listed = ", ".join(f"{_mib(beyond[n])} MiB at {n:,}" for n in sorted(beyond))
        out.append(f"- GL-GAN's memory beyond the input and output arrays: {listed}.")
        out.append("- " + _memory_growth(rows, glgan))
    return out or ["- Scaling: **not checked** (GL-GAN was not measured at two synthetic sizes in this run)."]


def _bytes_per_row(group: dict[int, Row]) -> float | None:
    """Slope of the memory beyond the data between the smallest and largest size, in bytes per row."""
    if len(group) < 2:
        return None
    small, large = group[min(group)].result, group[max(group)].result
    rise = _beyond_data(large) - _beyond_data(small)
    return rise / (large["n_rows"] - small["n_rows"])


def _memory_growth(rows: list[Row], glgan: dict[int, Row]) -> str:
    """How the memory beyond the data grows with n, against the size of a row and against SMOTE."""
    slope = _bytes_per_row(glgan)
    features = next(iter(glgan.values())).result["n_features"]
    smote = {r.n_majority: r for r in rows if r.kind == "synthetic" and r.method == REFERENCE and r.ok
             and r.n_majority in glgan}
    smote_slope = _bytes_per_row(smote) if set(smote) == set(glgan) else None
    versus = ""
    if smote_slope is not None:
        versus = (f"; SMOTE on the same data: {smote_slope:,.0f} bytes per row (target: at most SMOTE's, "
                  f"{_verdict(slope <= smote_slope)})")
    return (f"Memory beyond the data grows by {slope:,.0f} bytes per row from n = {min(glgan):,} to "
            f"{max(glgan):,}; a float32 input row is {4 * features} bytes{versus}. "
            "What remains is listed in docs/REPRODUCTION.md §12.")


def ctgan_lines(rows: list[Row], epochs_overridden: bool) -> list[str]:
    pairs = []
    for r in rows:
        if r.method != CTGAN:
            continue
        glgan = next((g for g in rows if g.method == "glgan" and g.kind == r.kind and g.dataset == r.dataset
                      and g.n_majority == r.n_majority), None)
        data = r.dataset if r.kind == "held" else f"{r.dataset}, n majority {r.n_majority:,}"
        if r.ok:
            res = r.result
            glgan_seconds = f"{glgan.result['seconds']:.2f}" if glgan is not None and glgan.ok else "—"
            pairs.append(f"| {data} | {glgan_seconds} | {res['seconds']:.2f} | "
                         f"{res.get('preprocessing_seconds', 0):.2f} | "
                         f"{_ratio(glgan, r)} | ok |")
        else:
            pairs.append(f"| {data} | — | — | — | — | {_status(r)} |")
    if not pairs:
        return ["CTGAN was not run (`--no-ctgan`)."]
    epochs = next((r.result.get("epochs") for r in rows if r.method == CTGAN and r.ok), None)
    why = ("set by --ctgan-epochs or --quick" if epochs_overridden else
           "GL-GAN's number of adversarial rounds; see `ctgan_epochs` in scripts/bench.py")
    return [f"CTGAN {_version('ctgan')} with {epochs or 'its configured'} epochs ({why}), batch 500 and its "
            "other defaults, the "
            "label as its one discrete column; then the same number of minority rows sampled. "
            "CTGAN seconds include its mode-specific normalisation (a Bayesian GMM per column), shown "
            "apart as 'of which preprocessing'.", "",
            "| data | GL-GAN seconds | CTGAN seconds | of which preprocessing | GL-GAN / CTGAN | status |",
            "|---|---|---|---|---|---|", *pairs, ""]


def _version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def _shown(arg: str) -> str:
    """A command-line argument without this machine's paths: relative to the project, else the file name."""
    path = Path(arg)
    if not path.is_absolute():
        return arg
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return f"<...>/{path.name}"


def machine_lines(args, load_before, load_after, started, seconds) -> list[str]:
    from glgan.experiment.pipeline import provenance

    cpu_model = platform.processor() or "unknown"
    try:
        cpu_model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                         if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import torch

    gpu = torch.cuda.get_device_name(0) if args.device.startswith("cuda") and torch.cuda.is_available() else None
    prov = provenance()
    versions = ", ".join(f"{k} {v}" for k, v in prov["versions"].items())
    return [
        f"- Command: `{' '.join(shlex.quote(_shown(a)) for a in ['python', 'scripts/bench.py', *args.argv])}`",
        f"- Started {started} UTC; the benchmark took {seconds / 60:.1f} min.",
        f"- Git commit: `{prov['git_commit']}`",
        f"- Machine: {cpu_model}; {os.cpu_count()} logical cores; Python {prov['python']}; {versions}, "
        f"ctgan {_version('ctgan')}.",
        f"- Device: {args.device}{f' ({gpu})' if gpu else ''}. Threads per measurement: {args.threads} "
        "(OMP/MKL/OpenBLAS and `torch.set_num_threads`), one measurement at a time.",
        f"- Load average (1 min) before / after: {load_before:.2f} / {load_after:.2f}. Other processes "
        "share the machine; CPU seconds are less sensitive to them than wall seconds.",
        f"- Experiment config for the samplers: `{args.experiment}`; seed {SEED}; r = {RATIO}; per-measurement "
        f"time limit {args.time_limit:g} s ({args.scaling_time_limit:g} s for GL-GAN's and SMOTE's synthetic sizes).",
    ]


def save_measurements(path: Path, args, rows, notes, setup) -> None:
    """The raw measurements beside the report, so that it can be re-rendered (``--render-only``)."""
    payload = {"setup": setup, "notes": notes, "features": args.features,
               "ctgan_epochs_overridden": args.ctgan_epochs is not None,
               "rows": [{"kind": r.kind, "dataset": r.dataset, "method": r.method, "n_majority": r.n_majority,
                         "result": r.result} for r in rows]}
    path.write_text(json.dumps(payload, indent=1))


def load_measurements(path: Path) -> dict:
    if not path.is_file():
        raise SystemExit(f"bench: --render-only needs {path}, written by a previous run of scripts/bench.py")
    payload = json.loads(path.read_text())
    payload["rows"] = [Row(**row) for row in payload["rows"]]
    return payload


def write_report(args, measured: dict) -> Path:
    rows, notes = measured["rows"], measured["notes"]
    fit_only = all(r.result.get("peak_is_fit_only", True) for r in rows if r.ok)
    memory_rule = (
        "Peak RSS is the resident-set high-water mark (`VmHWM`, what `resource.getrusage` reports as "
        "`ru_maxrss`) of a fresh process per measurement, reset via `/proc/self/clear_refs` just before "
        "`fit_resample`, so it covers the fit with the interpreter, libraries and input rows already "
        "resident. 'Beyond data' = peak − RSS just before the fit − bytes of the returned X and y: what "
        "the fit needed besides its input and output (slightly negative for a sampler that returns its "
        "input without copying it)." if fit_only else
        "Peak RSS is `resource.getrusage` `ru_maxrss` of a fresh process per measurement; the reset of "
        "the high-water mark was not available here, so it also covers loading the data.")
    lines = [
        "# Sampler benchmark", "",
        "Generated by `scripts/bench.py` (`make bench`); do not edit by hand. Issue 6.", "",
        "## Setup", "",
        *measured["setup"],
        f"- Timing: wall seconds of `fit_resample` (perf_counter) and CPU seconds of the process, data built "
        "and sampler constructed beforehand; the first torch optimiser's one-off import of torch._dynamo "
        "(about 1 s) is paid before the clock starts, as a reused sweep worker pays it once.",
        f"- Memory: {memory_rule}",
        "- '× SMOTE' = seconds / SMOTE's seconds on the same data in this run.", "",
        "## Held datasets (r = 0.01 training split, seed 0, min-max scaled as the runner does)", "",
        *(f"- {n}" for n in notes), *([""] if notes else []),
        *held_table(rows),
        f"## Synthetic data (d = {measured['features']}, minority at r = {RATIO})", "",
        "Majority rows uniform on [0, 1]^d, minority rows uniform on [0.25, 0.75]^d (float32). Sizes "
        "predicted (linearly from the previous size) to exceed the time limit are skipped, not run.", "",
        *synthetic_table(rows),
        "### GL-GAN scaling (target: time per row constant within 2× from 10^4 to 10^6 rows; memory bounded "
        "by the batch, not by n, beyond the data itself)", "",
        *scaling_lines(rows), "",
        "## External reference: CTGAN", "",
        *ctgan_lines(rows, measured["ctgan_epochs_overridden"]),
        "## Full reproduction", "",
        *reproduce_lines(args.reproduce_log), "",
    ]
    args.out.write_text("\n".join(lines))
    return args.out


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run (< 2 min): USPS only, imbalanced/smote/glgan, sizes 10^3 and 10^4, the quick "
                             "experiment's short training, CTGAN for 1 epoch at the smallest size only")
    parser.add_argument("--threads", type=int, default=1, help="threads per measurement (default: 1)")
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda: where the torch samplers train")
    parser.add_argument("--experiment", default=None, help="sampler settings: paper (default) or quick")
    parser.add_argument("--methods", default=None, help="comma-separated methods (default: every configs/method)")
    parser.add_argument("--datasets", default=None,
                        help="comma-separated held datasets, 'none' for none (default: the paper plan's)")
    parser.add_argument("--sizes", default=None, help="comma-separated synthetic majority sizes")
    parser.add_argument("--features", type=int, default=FEATURES, help="synthetic features (default: 50)")
    parser.add_argument("--time-limit", type=float, default=None,
                        help="seconds per fit before it is stopped (default: 600; 60 with --quick)")
    parser.add_argument("--scaling-time-limit", type=float, default=None,
                        help="seconds per fit for GL-GAN's and SMOTE's synthetic sizes (default: 2400, so that "
                             "n = 10^6 runs; --time-limit with --quick)")
    parser.add_argument("--no-ctgan", action="store_true", help="leave out the CTGAN reference")
    parser.add_argument("--ctgan-epochs", type=int, default=None,
                        help="CTGAN epochs (default: GL-GAN's gan_epochs; 1 with --quick)")
    parser.add_argument("--reproduce-log", type=Path, action="append", default=[],
                        help="saved output of `make reproduce` (repeatable; the elapsed times are summed)")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "bench.md", help="report file")
    parser.add_argument("--render-only", action="store_true",
                        help="measure nothing: rewrite --out from the measurements saved beside it (<out>.json), "
                             "e.g. to add --reproduce-log")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if args.threads < 1:
        parser.error("--threads must be at least 1")
    if not (args.device == "cpu" or args.device.startswith("cuda")):
        parser.error("--device must be cpu or cuda[:N]")
    args.experiment = args.experiment or ("quick" if args.quick else "paper")
    args.time_limit = args.time_limit or (60.0 if args.quick else 600.0)
    args.scaling_time_limit = args.scaling_time_limit or (args.time_limit if args.quick else 2400.0)
    args.methods = args.methods.split(",") if args.methods else (
        ["imbalanced", "smote", "glgan"] if args.quick else None)
    unknown = set(args.methods or ()) - set(all_methods())
    if unknown:
        parser.error(f"unknown method(s) {sorted(unknown)}; choose from {all_methods()}")
    if args.datasets == "none":
        args.datasets = []
    elif args.datasets:
        args.datasets = args.datasets.split(",")
    elif args.quick:
        args.datasets = ["usps"]
    args.sizes = [int(float(s)) for s in args.sizes.split(",")] if args.sizes else list(
        QUICK_SIZES if args.quick else SIZES)
    if args.ctgan_epochs is None and args.quick:
        args.ctgan_epochs = 1
    if args.device.startswith("cuda") and args.worker is None:
        import torch

        if not torch.cuda.is_available():
            parser.error("--device cuda: torch.cuda.is_available() is False (no GPU, or a CPU-only torch build)")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.worker is not None:
        worker_main(args.worker)
        return 0
    saved = args.out.with_suffix(".json")
    if args.render_only:
        measured = load_measurements(saved)
        shown = " ".join(shlex.quote(_shown(a)) for a in ["python", "scripts/bench.py", *args.argv])
        when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
        measured["setup"] = [*measured["setup"], f"- Rewritten from the saved measurements by `{shown}` on "
                             f"{when} UTC (nothing re-measured)."]
        log(f"wrote {write_report(args, measured)} from {saved}")
        return 0
    if not args.no_ctgan:
        try:
            import ctgan  # noqa: F401
        except ImportError:
            print("bench: the ctgan package is missing; `make bench` installs requirements-bench.txt, or pass "
                  "--no-ctgan", file=sys.stderr)
            return 2
    started = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
    load_before, start = os.getloadavg()[0], time.perf_counter()
    rows, notes = run_benchmark(args)
    setup = machine_lines(args, load_before, os.getloadavg()[0], started, time.perf_counter() - start)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_measurements(saved, args, rows, notes, setup)
    out = write_report(args, {"rows": rows, "notes": notes, "setup": setup, "features": args.features,
                              "ctgan_epochs_overridden": args.ctgan_epochs is not None})
    failed = [r for r in rows if r.result.get("status") == "failed"]
    log(f"wrote {out} ({len(rows)} measurements, {len(failed)} failed) in "
        f"{(time.perf_counter() - start) / 60:.1f} min")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
