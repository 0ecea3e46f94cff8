"""Prints the side-by-side table of the TorchSharp engine, the managed engine and PyTorch from one run of compare.sh.

    python3 benchmarks/Ppo.TorchSharp.Benchmarks/report.py RESULTS_FOLDER

RESULTS_FOLDER holds managed/ and torchsharp/ (BenchmarkDotNet brief JSON reports), pytorch.json (benchmarks/pytorch/
run.py) and run.json (the load averages before and after). The table gives each median and every time as a multiple of
the managed engine's (or, for the CNN update, which the managed engine does not have, of PyTorch's one thread); it is
printed and written to RESULTS_FOLDER/RESULTS.md.
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from report import format_us, load_json, load_ppo, median, ppo_key  # noqa: E402

# (row, managed benchmark, TorchSharp benchmark, PyTorch case prefix): the PyTorch names end in /t1 or /t2.
ROWS = [
    ("Update [64, 64], batch 64", ("MinibatchUpdateBenchmarks", "Hidden64Batch64"), ("TorchSharpUpdateBenchmarks", "Hidden64Batch64"), "update/h64/b64"),
    ("Update [256, 256], batch 2048", ("MinibatchUpdateBenchmarks", "Hidden256Batch2048"), ("TorchSharpUpdateBenchmarks", "Hidden256Batch2048"), "update/h256/b2048"),
    ("CNN update, 4×10×10, batch 256", None, ("TorchSharpUpdateBenchmarks", "CnnBreakoutBatch256"), "update/cnn/b256"),
    ("Act on 8 observations, [64, 64]", ("InferenceBenchmarks", "Act"), ("TorchSharpInferenceBenchmarks", "Act8"), "inference/act/8"),
]


def pytorch_median(pytorch, name):
    for result in pytorch.get("results", []):
        if result["name"] == name:
            return result["median_us"]
    return None


def ratio(value, reference):
    return f"{value / reference:.2f}×" if value is not None and reference else "—"


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    folder = sys.argv[1]
    managed, _ = load_ppo(folder, "managed")
    torchsharp, host = load_ppo(folder, "torchsharp")
    pytorch = load_json(os.path.join(folder, "pytorch.json"))
    run = load_json(os.path.join(folder, "run.json"))

    header = ["Case", "Managed, 1 thread", "Managed, 2", "TorchSharp, 1", "TorchSharp, 2", "PyTorch, 1", "PyTorch, 2"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for title, managed_case, torch_case, pytorch_case in ROWS:
        times = []
        for threads in (1, 2):
            times.append(median(managed, ppo_key(*managed_case, Threads=threads)) if managed_case else None)
        for threads in (1, 2):
            times.append(median(torchsharp, ppo_key(*torch_case, Threads=threads)))
        # PyTorch's act on 8 observations runs on one thread only (its fastest there); t2 is not timed.
        suffixes = ("",) if pytorch_case.startswith("inference/") else ("/t1", "/t2")
        times.extend(pytorch_median(pytorch, pytorch_case + suffix) for suffix in suffixes)
        times.extend([None] * (len(header) - 1 - len(times)))
        reference = times[0] if managed_case else times[4]
        cells = [f"{format_us(value)} ({ratio(value, reference)})" if value is not None else "—" for value in times]
        lines.append(f"| {title} | " + " | ".join(cells) + " |")

    reference_text = "the managed engine on one thread (PyTorch on one thread for the CNN update)"
    summary = [
        "# The TorchSharp engine beside the managed engine and PyTorch",
        "",
        f"Medians of one run of `bash benchmarks/Ppo.TorchSharp.Benchmarks/compare.sh{' --quick' if run.get('quick') else ''}`, "
        f"{run.get('date', '?')}; in brackets, each time as a multiple of {reference_text}.",
        f"Machine: {host.get('ProcessorName', '?')}, {host.get('PhysicalCoreCount', '?')} cores, shared with other work "
        f"(load average {run.get('load_before', '?')} before, {run.get('load_after', '?')} after).",
        f"PyTorch {pytorch.get('torch', '?')} (Debian's python3-torch), TorchSharp 0.107 (libtorch 2.10), {host.get('RuntimeVersion', '.NET ?')}.",
        "",
        *lines,
        "",
    ]
    text = "\n".join(summary)
    print(text)
    with open(os.path.join(folder, "RESULTS.md"), "w", encoding="utf-8") as file:
        file.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
