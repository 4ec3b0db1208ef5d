"""Re-execute ``notebooks/results.ipynb`` in place, so its saved outputs match ``results/`` (``make report``).

    .venv/bin/python notebooks/execute.py [--notebook notebooks/results.ipynb] [--timeout 1200]

The kernel runs this interpreter (the project's venv): jupyter_client starts the ``python3`` kernel spec
with ``sys.executable``, and this script refuses to run when that spec names another interpreter. Cells run
in ``notebooks/``, so the notebook finds the repository from there and shows only repository-relative paths.
Per-cell execution timestamps are not recorded, so a rerun on unchanged results changes nothing but the
outputs that depend on the machine (the diagnostics cell's fits).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
KERNEL = "python3"


def kernel_interpreter() -> str:
    """The interpreter the ``python3`` kernel spec starts (``python`` means this one, as jupyter_client maps it)."""
    argv0 = KernelSpecManager().get_kernel_spec(KERNEL).argv[0]
    return sys.executable if argv0 in {"python", "python3", f"python3.{sys.version_info.minor}"} else argv0


def execute(path: Path, timeout: int) -> None:
    interpreter = kernel_interpreter()
    if Path(interpreter).resolve() != Path(sys.executable).resolve():
        sys.exit(f"execute.py: the {KERNEL} kernel spec runs {interpreter}, not this venv's {sys.executable}; "
                 "remove that user-level kernel spec (jupyter kernelspec list) or run from the venv.")
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name=KERNEL, record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for cell in notebook.cells:  # timestamps of earlier runs (nbconvert) would otherwise stay in the file
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(notebook, path)
    print(f"executed {path.relative_to(HERE.parent) if path.is_relative_to(HERE.parent) else path}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", type=Path, default=HERE / "results.ipynb")
    parser.add_argument("--timeout", type=int, default=1200, help="seconds per cell")
    args = parser.parse_args(argv)
    execute(args.notebook.resolve(), args.timeout)


if __name__ == "__main__":
    main()
