#!/usr/bin/env bash
# GL-GAN's benchmark rows on a GPU -> results/bench_gpu.md, in under 5 minutes.
#
#   scripts/gpu_check.sh                 # uses .venv/bin/python (PYTHON=... to use another interpreter)
#   scripts/gpu_check.sh --threads 4     # extra arguments go to scripts/bench.py
#
# Runs scripts/bench.py with device=cuda for GL-GAN on every held dataset's r = 0.01 split and on the
# synthetic sizes 10^3..10^6 (d = 50), with SMOTE (CPU) beside it for the ratio. Each fit is stopped at
# 45 s and a size predicted to exceed that is skipped (marked in the report); the whole run is cut at
# 290 s. The project's pinned torch is the CPU build: on a GPU machine install a CUDA build of the same
# version first (`pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/<cuda tag>`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-.venv/bin/python}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} MKL_NUM_THREADS=${MKL_NUM_THREADS:-1}
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}

if ! "$PYTHON" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)"; then
    "$PYTHON" -c "import torch; print(f'gpu_check: torch {torch.__version__} sees no CUDA device (CUDA build: {torch.version.cuda}).')" >&2 || true
    echo "gpu_check: FAILED - no GPU available to torch. Run it on a machine with an NVIDIA GPU and a CUDA build of torch." >&2
    exit 1
fi
"$PYTHON" -c "import torch; print('gpu_check:', torch.cuda.get_device_name(0), '| torch', torch.__version__, '| CUDA', torch.version.cuda)"

status=0
timeout 290 "$PYTHON" scripts/bench.py --device cuda --methods glgan,smote --no-ctgan --time-limit 45 \
    --scaling-time-limit 45 --out results/bench_gpu.md "$@" || status=$?
if [ "$status" -eq 124 ]; then
    echo "gpu_check: FAILED - the run exceeded 290 s; results/bench_gpu.md was not written." >&2
elif [ "$status" -ne 0 ]; then
    echo "gpu_check: FAILED (exit $status); see the lines above and results/bench_gpu.md." >&2
else
    echo "gpu_check: wrote results/bench_gpu.md"
fi
exit "$status"
