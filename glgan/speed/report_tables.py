"""The tables and paragraphs of the sampler benchmark's report (results/bench.md), from its :class:`Row` s."""

from __future__ import annotations

from glgan.speed.settings import CTGAN, MIB, REFERENCE, Row


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


#: The speed targets of the training budget (docs/REPRODUCTION.md §6.9): seconds at the defaults, one thread.
SPEED_TARGETS = {"usps": 2.0, 10**5: 30.0, 10**6: 120.0}
BUDGETED_METHODS = ("glgan", "glgan_paper", "auto_only", "bagan")


def _verdict(ok: bool) -> str:
    return "met" if ok else "**NOT met**"


def _method_scaling(method: str, sizes: dict[int, Row]) -> str:
    parts = [f"{sizes[n].result['seconds']:.1f} s at {n:,}" if sizes[n].ok else f"n = {n:,} {_status(sizes[n])}"
             for n in sorted(sizes)]
    line = f"- {method}, synthetic d = 50: " + ", ".join(parts)
    if all(n in sizes and sizes[n].ok for n in (10**4, 10**5)):
        growth = sizes[10**5].result["seconds"] / sizes[10**4].result["seconds"]
        line += f"; 10^5 takes {growth:.2f}× the time of 10^4 (target ≤ 2×: {_verdict(growth <= 2)})"
    if method == "glgan":
        for n in (10**5, 10**6):
            if n in sizes and sizes[n].ok:
                seconds = sizes[n].result["seconds"]
                line += f"; {n:,} rows within {SPEED_TARGETS[n]:g} s: {_verdict(seconds <= SPEED_TARGETS[n])}"
    return line + "."


def scaling_lines(rows: list[Row]) -> list[str]:
    """The training budget's targets: GL-GAN's seconds on USPS and at 10^5 and 10^6 rows, the growth from 10^4
    to 10^5 of every budgeted sampler, and GL-GAN's memory beyond the data against SMOTE's."""
    out = []
    usps = next((r for r in rows if r.kind == "held" and r.dataset == "usps" and r.method == "glgan" and r.ok), None)
    if usps is not None:
        seconds = usps.result["seconds"]
        out.append(f"- GL-GAN on the USPS split: {seconds:.1f} s (target ≤ {SPEED_TARGETS['usps']:g} s: "
                   f"{_verdict(seconds <= SPEED_TARGETS['usps'])}).")
    for method in BUDGETED_METHODS:
        sizes = {r.n_majority: r for r in rows if r.kind == "synthetic" and r.method == method}
        if sizes:
            out.append(_method_scaling(method, sizes))
    glgan = {r.n_majority: r for r in rows
             if r.kind == "synthetic" and r.method == "glgan" and r.ok and r.n_majority >= 10**4}
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
            "What remains is listed in docs/REPRODUCTION.md §6.10.")


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
