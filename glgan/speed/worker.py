"""One measurement of the sampler benchmark, in the process that runs it (``scripts/bench.py --worker``).

The data is built and the sampler constructed first; then the resident-set high-water mark is reset and
``fit_resample`` is timed (wall and CPU seconds) under a time limit.
"""

from __future__ import annotations

import gc
import json
import math
import signal
import sys
import time

from glgan.speed.ctgan_adapter import CTGANOverSampler
from glgan.speed.settings import CTGAN, RATIO, REFERENCE, SEED


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
    from glgan.experiment.cells import compose_cell, make_sampler

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
    from glgan.experiment.cells import cell_split, compose_cell

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
