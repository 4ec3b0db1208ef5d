"""Where a GL-GAN fit spends its time: by stage and by function (pyinstrument, sampling), one thread.

    python scripts/profile_glgan.py                        # synthetic d = 50, n_majority 10^4 and 10^5
    python scripts/profile_glgan.py --sizes 100000 --set max_epoch_rows=null   # without the budget
    python scripts/profile_glgan.py --out docs/profile.md  # also write the tables to a file

The data are ``scripts/bench.py``'s synthetic rows (majority uniform on [0, 1]^d, minority at r = 0.01).
Each size is fitted twice in this process: once plainly, for the fit's seconds, and once under pyinstrument's
sampling profiler (1 ms interval; ``requirements-bench.txt``), for the shares. torch.profiler was tried first and
ran out of memory at 10^5 rows: it keeps an event per torch operation, millions of them in a fit. The stages are
the functions of Algorithm 1 (``train_autoencoder``, ``latent_smote``, the D, C and G epochs of
``train_adversarial``, ``forward_in_chunks`` for encoding and decoding); the operations are the functions where
the samples land, Python or the torch C++ call they made.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import torch  # noqa: E402
import yaml  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout, as the other scripts do

from glgan import GLGAN  # noqa: E402
from glgan.speed.settings import FEATURES  # noqa: E402
from glgan.speed.worker import synthetic_data  # noqa: E402

#: Algorithm 1's stages, by the function that runs each (the first match on a call path counts).
STAGES = {"train_autoencoder": "autoencoder (Eq. 3.3)", "latent_smote": "latent SMOTE",
          "discriminator_epoch": "D epochs (Eq. 3.4)", "classifier_epoch": "C epochs (Eq. 3.5)",
          "generator_epoch": "G epochs (Eq. 3.6)", "forward_in_chunks": "encoding and decoding"}


def fit(n_majority: int, params: dict):
    X, y = synthetic_data(n_majority, FEATURES, seed=0)
    sampler = GLGAN(random_state=0, device="cpu", **params)
    start = time.perf_counter()
    sampler.fit_resample(X, y)
    return sampler, time.perf_counter() - start


def _stage_seconds(frame, out: dict) -> None:
    stage = STAGES.get(frame.function)
    if stage is not None:
        out[stage] = out.get(stage, 0.0) + frame.time
        return
    for child in frame.children:
        _stage_seconds(child, out)


def _self_seconds(frame, out: dict) -> None:
    """Time in ``frame`` itself, not in the real functions it called (pyinstrument's "[self]" rows are its own)."""
    called = [child for child in frame.children if not child.is_synthetic]
    name = frame.function if len(frame.function) <= 40 else frame.function.rsplit(".", 1)[-1]  # pybind11 names
    key = f"{name} ({Path(frame.file_path or '?').name})"
    out[key] = out.get(key, 0.0) + frame.time - sum(child.time for child in called)
    for child in called:
        _self_seconds(child, out)


def profile_size(n_majority: int, params: dict, top: int) -> list[str]:
    sampler, seconds = fit(n_majority, params)
    history = sampler.history_[1]
    profiler = Profiler(interval=0.001)
    with profiler:
        fit(n_majority, params)
    root = profiler.last_session.root_frame()
    stages, functions = {}, {}
    _stage_seconds(root, stages)
    _self_seconds(root, functions)
    total = root.time or 1.0
    lines = [
        f"### n_majority = {n_majority:,} (d = {FEATURES}, minority r = 0.01)", "",
        f"Fit {seconds:.1f} s unprofiled; {len(history['autoencoder'])} autoencoder epochs, "
        f"{len(history['generator'])} adversarial rounds.", "",
        "| stage | share of the profiled run |", "|---|---:|",
    ]
    lines += [f"| {stage} | {stages.get(stage, 0.0) / total:.1%} |" for stage in STAGES.values()]
    lines += [f"| the rest (data, setup, checks) | {1 - sum(stages.values()) / total:.1%} |"]
    ranked = sorted(functions.items(), key=lambda kv: kv[1], reverse=True)[:top]
    lines += ["", f"Top {top} functions by the time spent in them (not in what they call):", "",
              "| function | share |", "|---|---:|"]
    lines += [f"| `{name}` | {t / total:.1%} |" for name, t in ranked]
    return lines + [""]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated n_majority values")
    parser.add_argument("--set", action="append", default=[], metavar="PARAM=VALUE",
                        help="a GLGAN parameter (YAML value), e.g. max_epoch_rows=null; repeatable")
    parser.add_argument("--top", type=int, default=10, help="operations listed per size")
    parser.add_argument("--out", type=Path, help="also write the tables here")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s) for s in args.sizes.split(",")]
    except ValueError:
        parser.error(f"--sizes must be comma-separated integers, got {args.sizes!r}")
    args.params = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or name not in GLGAN().get_params():
            parser.error(f"--set {item!r}: expected PARAM=VALUE with PARAM one of GLGAN's parameters")
        args.params[name] = yaml.safe_load(value)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    torch.set_num_threads(1)
    torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))])  # the one-off torch._dynamo import, before any clock
    lines = [f"GL-GAN profile, one thread, parameters {args.params or 'default'}; "
             f"load average before: {os.getloadavg()[0]:.2f}", ""]
    for n in args.sizes:
        lines += profile_size(n, args.params, args.top)
    print("\n".join(lines))
    if args.out:
        args.out.write_text("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
