"""Where a GL-GAN fit spends its time: by stage and by torch operation (torch.profiler), one thread.

    python scripts/profile_glgan.py                        # synthetic d = 50, n_majority 10^4 and 10^5
    python scripts/profile_glgan.py --sizes 100000 --set max_epoch_rows=null   # without the budget
    python scripts/profile_glgan.py --out docs/profile.md  # also write the tables to a file

The data are ``scripts/bench.py``'s synthetic rows (majority uniform on [0, 1]^d, minority at r = 0.01).
Each size is fitted twice in this process: once plainly, for the fit's seconds, and once under
``torch.profiler``, for the shares. The stages are the ``record_function`` labels that ``glgan`` sets
(``glgan.autoencoder``, ``glgan.encode``, ``glgan.latent_smote``, ``glgan.discriminator_epochs``,
``glgan.classifier_epochs``, ``glgan.generator_epochs``, ``glgan.decode``); the profiler itself slows the
fit, so the shares, not the profiled seconds, are what to read.
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
from torch.profiler import ProfilerActivity, profile  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import FEATURES, synthetic_data  # noqa: E402

from glgan import GLGAN  # noqa: E402

STAGES = ("autoencoder", "encode", "latent_smote", "discriminator_epochs", "classifier_epochs",
          "generator_epochs", "decode")


def fit(n_majority: int, params: dict):
    X, y = synthetic_data(n_majority, FEATURES, seed=0)
    sampler = GLGAN(random_state=0, device="cpu", **params)
    start = time.perf_counter()
    sampler.fit_resample(X, y)
    return sampler, time.perf_counter() - start


def profile_size(n_majority: int, params: dict, top: int) -> list[str]:
    sampler, seconds = fit(n_majority, params)
    history = sampler.history_[1]
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        fit(n_majority, params)
    events = prof.key_averages()
    stage_us = {e.key.removeprefix("glgan."): e.cpu_time_total for e in events if e.key.startswith("glgan.")}
    total = sum(stage_us.values()) or 1.0
    lines = [
        f"### n_majority = {n_majority:,} (d = {FEATURES}, minority r = 0.01)", "",
        f"Fit {seconds:.1f} s unprofiled; {len(history['autoencoder'])} autoencoder epochs, "
        f"{len(history['generator'])} adversarial rounds.", "",
        "| stage | share of the fit |", "|---|---:|",
    ]
    lines += [f"| {stage} | {stage_us.get(stage, 0.0) / total:.1%} |" for stage in STAGES]
    ops = sorted((e for e in events if e.key.startswith("aten::") or "Optimizer" in e.key),
                 key=lambda e: e.self_cpu_time_total, reverse=True)[:top]
    all_self = sum(e.self_cpu_time_total for e in events) or 1.0
    lines += ["", f"Top {top} operations by their own CPU time:", "", "| operation | calls | share |", "|---|---:|---:|"]
    lines += [f"| `{e.key}` | {e.count:,} | {e.self_cpu_time_total / all_self:.1%} |" for e in ops]
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
