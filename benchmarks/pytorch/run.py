"""Times the PyTorch side of the Ppo benchmarks and writes the medians as JSON.

    python3 benchmarks/pytorch/run.py --out benchmarks/results/pytorch.json [--quick] [--filter gae]

Every case runs on one thread unless its name ends in /t2 (both cores). PyTorch's matrix products run in the BLAS
it is linked with (Debian: OpenBLAS, pthread build), which keeps its own thread pool: its thread count is set with
`openblas_set_num_threads` alongside `torch.set_num_threads`.

PyTorch allocates every intermediate tensor afresh. glibc's malloc hands large freed blocks back to the system, so the
next step page-faults them in again; that tripled the large minibatch update and made it vary from run to run. The
allocator is told to keep freed memory (`mallopt`), as PyTorch deployments with jemalloc or tcmalloc do, which gives
PyTorch its best and steadiest figure.

OMP_WAIT_POLICY defaults to PASSIVE here: PyTorch's idle OpenMP workers then sleep instead of spinning. On a machine
whose cores are busy with other work, spinning workers take the core from the ones computing and make the two-thread
update several times slower than one thread; passive waiting gives PyTorch its best two-thread figure. Set the
variable to override it.
"""

import argparse
import ctypes
import json
import os
import platform
import subprocess
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402  (imported after OMP_WAIT_POLICY is set, which OpenMP reads when it starts)
import torch  # noqa: E402

import bench_cnn_update  # noqa: E402
import bench_gae  # noqa: E402
import bench_inference  # noqa: E402
import bench_losses  # noqa: E402
import bench_mlp  # noqa: E402
import bench_update  # noqa: E402
import timing  # noqa: E402

SEED = 20240607
MALLOPT_TRIM_THRESHOLD = -1
MALLOPT_MMAP_THRESHOLD = -3
MODULES = [bench_gae, bench_losses, bench_mlp, bench_update, bench_inference, bench_cnn_update]


def keep_freed_memory():
    """Makes glibc's malloc keep freed blocks of up to 32 MiB for reuse; returns whether it agreed."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    return bool(libc.mallopt(MALLOPT_MMAP_THRESHOLD, 32 * 1024 * 1024)) and bool(libc.mallopt(MALLOPT_TRIM_THRESHOLD, 1 << 30))


def loaded_blas():
    """The BLAS library PyTorch has loaded (after a first matrix product), or None."""
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))
    with open("/proc/self/maps", encoding="utf-8") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line}
    for path in sorted(paths):
        if "openblas" in os.path.basename(path).lower():
            return path
    return None


def debian_package_version(package):
    try:
        completed = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=True)
        return completed.stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


class Threads:
    """Sets the thread count of PyTorch and of the OpenBLAS it calls."""

    def __init__(self, blas_path):
        self._openblas = ctypes.CDLL(blas_path) if blas_path else None

    def set(self, count):
        torch.set_num_threads(count)
        if self._openblas is not None:
            self._openblas.openblas_set_num_threads(count)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="the JSON file to write")
    parser.add_argument("--quick", action="store_true", help="shorter warm-up and fewer samples")
    parser.add_argument("--filter", default="", help="only cases whose name contains this text")
    args = parser.parse_args()

    memory_kept = keep_freed_memory()
    settings = timing.QUICK if args.quick else timing.FULL
    rng = np.random.default_rng(SEED)
    torch.manual_seed(SEED)
    blas_path = loaded_blas()
    threads = Threads(blas_path)

    results = []
    for module in MODULES:
        for case in module.cases(rng):
            if args.filter not in case.name:
                continue
            threads.set(case.threads)
            median_us, iterations = timing.measure(case.run, settings)
            results.append({"name": case.name, "median_us": median_us, "iterations": iterations, "threads": case.threads})
            print(f"{case.name:40s} {median_us:12.2f} us  ({iterations} calls, {case.threads} thread{'s' if case.threads > 1 else ''})", flush=True)
    threads.set(1)

    report = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_package": debian_package_version("python3-torch"),
        "numpy": np.__version__,
        "blas": os.path.basename(blas_path) if blas_path else "not OpenBLAS (thread count not controlled)",
        "omp_wait_policy": os.environ["OMP_WAIT_POLICY"],
        "malloc_keeps_freed_memory": memory_kept,
        "mode": "quick" if args.quick else "full",
        "results": results,
    }
    with open(args.out, "w", encoding="utf-8") as file:
        json.dump(report, file, indent=2)
        file.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
