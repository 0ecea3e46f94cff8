"""Builds the Ppo-versus-PyTorch comparison from the exported results and writes RESULTS.md.

    python3 benchmarks/report.py --results benchmarks/results --out benchmarks/RESULTS.md

Reads the BenchmarkDotNet brief JSON reports of each vector path (results/dotnet/*-report-brief.json for the default,
results/dotnet-avx2/ for AVX2 on a machine with AVX-512), the PyTorch medians (results/pytorch.json), the CPU
(results/cpu.json), the CartPole training times (results/cartpole.json, when Stable-Baselines3 was importable) and the
run description (results/run.json) that compare.sh writes. Every reference figure comes from the same run on the same
machine. Standard library only.

    python3 benchmarks/report.py --save-cpu benchmarks/results/cpu.json    (compare.sh: describe the CPU at hand)
"""

import argparse
import glob
import json
import math
import os
import subprocess
import sys
from dataclasses import dataclass

GAE_ROLLOUTS = ["32x8", "1024x16", "2048x8", "2048x64"]
BATCH_SIZES = [64, 256, 2048]
HIDDEN_SIZES = [64, 256]
GEMM_WIDTHS = [64, 256, 512]
GEMM_FORMS = [
    ("X*W^T", "TransposedB", "forward X·Wᵀ"),
    ("dY*W", "Multiply", "input gradient dY·W"),
    ("dY^T*X", "TransposedA", "weight gradient dYᵀ·X"),
]

# The vector paths compare.sh measures: (folder under results/, label). The second exists on CPUs with AVX-512.
PATHS = [("dotnet", "default"), ("dotnet-avx2", "AVX2")]

# The GEMM measured side by side with OpenBLAS and the peak kernel (Ppo.Benchmarks --gemm-side-by-side), per path folder.
GEMM_SIDE_BY_SIDE = "gemm-side-by-side.json"

# FmaPeakBenchmarks: fused multiply-adds per call (chains × steps), each 2 operations per lane.
FMA_PEAK_FMAS = 10 * 100_000

# Targets (ratios in one run on the machine at hand).
GEMM_SHARE_OF_OPENBLAS = 100.0
GEMM_SHARE_OF_PEAK = 75.0
UPDATE_LARGE_ONE_CORE = 1.5
UPDATE_LARGE_TWO_CORES = 2.5
UPDATE_SMALL_TWO_CORES = 50.0
CARTPOLE_AGAINST_SB3 = 25.0

# The minibatch update benchmark's networks: observation 8, Discrete(4), separate actor and critic.
UPDATE_OBSERVATION, UPDATE_ACTIONS = 8, 4


@dataclass(frozen=True)
class Measurement:
    median_us: float
    allocated_bytes: int | None = None


def ppo_key(type_name, method, **parameters):
    return (type_name, method, tuple(sorted((name, str(value)) for name, value in parameters.items())))


def load_ppo(results, folder):
    measurements, host = {}, {}
    for path in sorted(glob.glob(os.path.join(results, folder, "*-report-brief.json"))):
        with open(path, encoding="utf-8") as file:
            report = json.load(file)
        host = report.get("HostEnvironmentInfo", host)
        for benchmark in report["Benchmarks"]:
            statistics = benchmark.get("Statistics")
            if not statistics:
                continue
            parameters = {}
            if benchmark.get("Parameters"):
                for pair in benchmark["Parameters"].split("&"):
                    name, value = pair.split("=", 1)
                    parameters[name] = value.strip('"')
            memory = benchmark.get("Memory") or {}
            key = ppo_key(benchmark["Type"], benchmark["Method"], **parameters)
            measurements[key] = Measurement(statistics["Median"] / 1000.0, memory.get("BytesAllocatedPerOperation"))
    return measurements, host


def ppo_allocations(measurements):
    """The cases of Ppo's own code with allocation figures, and the keys of those that allocate: the OpenBLAS cases
    of GemmBenchmarks are the reference, timed through P/Invoke, and stay out."""
    measured = {key: value for key, value in measurements.items()
                if value.allocated_bytes is not None and not key[1].startswith("OpenBlas")}
    return measured, [key for key, value in measured.items() if value.allocated_bytes]


def load_json(path):
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def format_us(value):
    if value is None:
        return "—"
    if value < 1:
        return f"{value * 1000:.0f} ns"
    if value < 10:
        return f"{value:.2f} µs"
    if value < 1000:
        return f"{value:.1f} µs"
    return f"{value:,.0f} µs"


def format_bytes(value):
    if value is None:
        return "—"
    return f"{value:,} B"


def format_ratio(numerator, denominator):
    if numerator is None or denominator is None or denominator <= 0:
        return "—"
    ratio = numerator / denominator
    return f"{ratio:,.1f}×" if ratio >= 10 else f"{ratio:.2f}×"


def verdict(met):
    if met is None:
        return "no data"
    return "met" if met else "not met"


def comparison_rows():
    """(section, work item, Ppo benchmark, PyTorch case)."""
    rows = []
    for rollout in GAE_ROLLOUTS:
        shown = rollout.replace("x", "×")
        key = ppo_key("GaeBenchmarks", "Compute", Shape=rollout)
        rows.append(("GAE", f"GAE {shown}, vs Stable-Baselines3 (numpy loop)", key, f"gae/sb3-numpy/{rollout}"))
        rows.append(("GAE", f"GAE {shown}, vs torch loop (CleanRL)", key, f"gae/torch/{rollout}"))
    losses = [
        ("ClippedSurrogateLoss", "clipped-surrogate", "Clipped surrogate + diagnostics"),
        ("ValueLossPlain", "value", "Value loss"),
        ("ValueLossClipped", "value-clipped", "Value loss, clipped"),
        ("Entropy", "entropy", "Entropy loss"),
        ("Fused", "fused", "Fused PPO loss"),
    ]
    for batch in BATCH_SIZES:
        for method, name, label in losses:
            rows.append(("Losses", f"{label}, batch {batch}", ppo_key("LossBenchmarks", method, BatchSize=batch), f"loss/{name}/{batch}"))
    for batch in BATCH_SIZES:
        rows.append(("Distribution heads", f"Categorical(4) head, batch {batch}", ppo_key("DistributionBenchmarks", "CategoricalHead", BatchSize=batch), f"head/categorical4/{batch}"))
        rows.append(("Distribution heads", f"DiagonalGaussian(2) head, batch {batch}", ppo_key("DistributionBenchmarks", "DiagonalGaussianHead", BatchSize=batch), f"head/gaussian2/{batch}"))
    for hidden in HIDDEN_SIZES:
        for batch in BATCH_SIZES:
            rows.append(("MLP", f"MLP [{hidden}, {hidden}] forward, batch {batch}", ppo_key("MlpBenchmarks", "Forward", Hidden=hidden, BatchSize=batch), f"mlp/forward/h{hidden}/b{batch}"))
            rows.append(("MLP", f"MLP [{hidden}, {hidden}] forward + backward, batch {batch}", ppo_key("MlpBenchmarks", "ForwardBackward", Hidden=hidden, BatchSize=batch), f"mlp/forward-backward/h{hidden}/b{batch}"))
    for threads, cores in [(1, "Ppo on one core"), (2, "Ppo on both cores")]:
        small = ppo_key("MinibatchUpdateBenchmarks", "Hidden64Batch64", Threads=threads)
        rows.append(("Minibatch update", f"Update, [64, 64], batch 64, {cores}", small, "update/h64/b64/t1"))
    large_one = ppo_key("MinibatchUpdateBenchmarks", "Hidden256Batch2048", Threads=1)
    large_two = ppo_key("MinibatchUpdateBenchmarks", "Hidden256Batch2048", Threads=2)
    rows.append(("Minibatch update", "Update, [256, 256], batch 2048, both on one core", large_one, "update/h256/b2048/t1"))
    rows.append(("Minibatch update", "Update, [256, 256], batch 2048, both on both cores", large_two, "update/h256/b2048/t2"))
    for threads, cores in [(1, "Ppo on one core"), (2, "Ppo on both cores")]:
        rows.append(("Inference", f"Act, 8 observations (sampled, with values), {cores}", ppo_key("InferenceBenchmarks", "Act", Threads=threads), "inference/act/8"))
        rows.append(("Inference", f"Predict, 8 observations (deterministic), {cores}", ppo_key("InferenceBenchmarks", "Predict", Threads=threads), "inference/predict/8"))
    return rows


def median(ppo, key):
    measurement = ppo.get(key)
    return measurement.median_us if measurement else None


def gemm_table(results, folder):
    """(category, batch, width) → (Ppo µs, OpenBLAS µs, Ppo ÷ OpenBLAS %, Ppo GFLOP/s, Ppo ÷ FMA peak %) from the
    side-by-side run (gemm-side-by-side.json: the two products and the peak kernel in alternating blocks, ratios as
    medians of the per-round ratios), the median peak of its rounds in GFLOP/s and the number of rounds."""
    side_by_side = load_json(os.path.join(results, folder, GEMM_SIDE_BY_SIDE))
    table = {}
    for case in side_by_side.get("cases", []):
        ours_us = case["ppo_microseconds"]
        gflops = 2.0 * case["m"] * case["n"] * case["k"] / (ours_us * 1000)
        table[(case["category"], case["batch_size"], case["width"])] = (
            ours_us, case["openblas_microseconds"], case["ppo_share_of_openblas"], gflops, case["ppo_share_of_peak"])
    return table, side_by_side.get("peak_gflops"), side_by_side.get("rounds")


def peak_gflops(ppo, lanes):
    """The measured fused multiply-add peak of one core in GFLOP/s, from FmaPeakBenchmarks."""
    peak_us = median(ppo, ppo_key("FmaPeakBenchmarks", "WidestVector"))
    return 2.0 * FMA_PEAK_FMAS * lanes / (peak_us * 1000) if peak_us and lanes else None


def update_flops(hidden, batch):
    """Floating-point operations of one minibatch update's matrix products: forward, input and weight gradients of each
    layer of the actor and the critic (the first layer has no input gradient), 2 per multiply-add."""
    total = 0
    for outputs in (UPDATE_ACTIONS, 1):
        layers = [(UPDATE_OBSERVATION, hidden), (hidden, hidden), (hidden, outputs)]
        for index, (inputs, units) in enumerate(layers):
            products = 2 if index == 0 else 3
            total += products * 2 * batch * inputs * units
    return total


def format_share(value):
    """A percentage, rounded down: a share just below a target must not print as the target."""
    return "—" if value is None else f"{math.floor(value)} %"


def target_rows(paths, torch_results, cartpole):
    """(work item, target, [(measured, met) per path]); a row that does not depend on the path has one entry."""

    def per_path(compute):
        return [compute(path) for path in paths]

    def check(value, limit, formatter):
        return (formatter(value), None if value is None else value >= limit)

    rows = []
    for category, _, label in GEMM_FORMS:
        def openblas(path, category=category):
            ours_us, blas_us, share, _, _ = path["gemm"].get((category, 256, 256), (None,) * 5)
            text = f"{format_share(share)} ({format_us(ours_us)} vs {format_us(blas_us)})" if share is not None else "—"
            return text, None if share is None else share >= GEMM_SHARE_OF_OPENBLAS
        rows.append((f"GEMM 256×256×256, {label}: Ppo ÷ OpenBLAS (one thread)", f"≥ {GEMM_SHARE_OF_OPENBLAS:.0f} %", per_path(openblas)))

        def peak(path, category=category):
            _, _, _, gflops, share = path["gemm"].get((category, 256, 256), (None,) * 5)
            text = f"{format_share(share)} ({gflops:.0f} of {path['gemm_peak']:.0f} GFLOP/s)" if share is not None else "—"
            return text, None if share is None else share >= GEMM_SHARE_OF_PEAK
        rows.append((f"GEMM 256×256×256, {label}: Ppo ÷ FMA peak", f"≥ {GEMM_SHARE_OF_PEAK:.0f} %", per_path(peak)))

    def lowest(path, measure, limit):
        values = [(measure(entry), key) for key, entry in path["gemm"].items() if measure(entry) is not None]
        if not values:
            return "—", None
        value, (category, batch, width) = min(values)
        m, n, k = (width, width, batch) if category == "dY^T*X" else (batch, width, width)
        return f"{format_share(value)} (lowest: {category} {m}×{n}×{k})", value >= limit

    rows.append(("GEMM, PPO's shapes (batch 64–2048 × width 64–512, 3 forms): Ppo ÷ OpenBLAS", f"≥ {GEMM_SHARE_OF_OPENBLAS:.0f} % each",
                 per_path(lambda path: lowest(path, lambda entry: entry[2], GEMM_SHARE_OF_OPENBLAS))))
    rows.append(("GEMM, PPO's shapes: Ppo ÷ FMA peak", f"≥ {GEMM_SHARE_OF_PEAK:.0f} % each",
                 per_path(lambda path: lowest(path, lambda entry: entry[4], GEMM_SHARE_OF_PEAK))))

    def update(path, hidden, batch, threads, torch_name, limit):
        ours = median(path["ppo"], ppo_key("MinibatchUpdateBenchmarks", f"Hidden{hidden}Batch{batch}", Threads=threads))
        theirs = torch_results.get(torch_name)
        ratio = theirs / ours if ours and theirs else None
        text = f"{format_ratio(theirs, ours)} ({format_us(theirs)} vs {format_us(ours)})" if ratio is not None else "—"
        return text, None if ratio is None else ratio >= limit

    rows.append(("Update [256, 256], batch 2048, one core: PyTorch (one thread) ÷ Ppo (one thread)", f"≥ {UPDATE_LARGE_ONE_CORE}×",
                 per_path(lambda path: update(path, 256, 2048, 1, "update/h256/b2048/t1", UPDATE_LARGE_ONE_CORE))))
    rows.append(("Update [256, 256], batch 2048, two cores: PyTorch (two threads) ÷ Ppo (two threads)", f"≥ {UPDATE_LARGE_TWO_CORES}×",
                 per_path(lambda path: update(path, 256, 2048, 2, "update/h256/b2048/t2", UPDATE_LARGE_TWO_CORES))))
    rows.append(("Update [256, 256], batch 2048, two cores: PyTorch (one thread) ÷ Ppo (two threads)", "reported",
                 [(text, None) for text, _ in per_path(lambda path: update(path, 256, 2048, 2, "update/h256/b2048/t1", 0.0))]))
    rows.append(("Update [64, 64], batch 64, two cores: PyTorch (one thread, its fastest) ÷ Ppo (two threads)", f"≥ {UPDATE_SMALL_TWO_CORES:.0f}×",
                 per_path(lambda path: update(path, 64, 64, 2, "update/h64/b64/t1", UPDATE_SMALL_TWO_CORES))))

    def update_peak(path, threads):
        ours = median(path["ppo"], ppo_key("MinibatchUpdateBenchmarks", "Hidden256Batch2048", Threads=threads))
        if not ours or not path["peak"]:
            return "—", None
        gflops = update_flops(256, 2048) / (ours * 1000)
        return f"{100.0 * gflops / (threads * path['peak']):.0f} % ({gflops:.0f} of {threads * path['peak']:.0f} GFLOP/s)", None

    rows.append(("Update [256, 256], batch 2048: Ppo's matrix products ÷ FMA peak, one core", "reported", per_path(lambda path: update_peak(path, 1))))
    rows.append(("The same, two cores (÷ twice the one-core peak)", "reported", per_path(lambda path: update_peak(path, 2))))

    def inference(path, threads):
        ours = median(path["ppo"], ppo_key("InferenceBenchmarks", "Act", Threads=threads))
        theirs = torch_results.get("inference/act/8")
        return (f"{format_ratio(theirs, ours)} ({format_us(theirs)} vs {format_us(ours)})" if ours and theirs else "—"), None

    rows.append(("Act on 8 observations, one core: PyTorch ÷ Ppo", "reported", per_path(lambda path: inference(path, 1))))
    rows.append(("Act on 8 observations, two cores: PyTorch ÷ Ppo", "reported", per_path(lambda path: inference(path, 2))))

    if cartpole:
        sb3 = cartpole.get("sb3_train_seconds")
        for key, label, targeted in [("readme_train_seconds", "the README's command", True),
                                     ("run_train_seconds", "`dotnet run` alone", False),
                                     ("direct_train_seconds", "the built program", True)]:
            ours = cartpole.get(key)
            if ours and sb3:
                ratio = sb3 / ours
                figure = f"{ratio:.1f}× ({sb3:.1f} s vs {ours:.2f} s)"
                rows.append((f"CartPole-v1 zoo run, 1e5 steps, {label}: Stable-Baselines3 ÷ Ppo training time",
                             f"≥ {CARTPOLE_AGAINST_SB3:.0f}×" if targeted else "reported",
                             [(figure, ratio >= CARTPOLE_AGAINST_SB3 if targeted else None)]))

    def allocation(path):
        measured, nonzero = ppo_allocations(path["ppo"])
        if not measured:
            return "—", None
        return f"{len(measured) - len(nonzero)} of {len(measured)} at 0 B", not nonzero

    rows.append(("Allocation per call, every benchmark of Ppo", "0 B", per_path(allocation)))
    return rows


def describe_cpu():
    """The CPU at hand from /proc/cpuinfo and lscpu: model name, family/model/stepping, the vector extensions, cores."""
    cpu = {"model_name": "unknown", "family": "?", "model": "?", "stepping": "?", "flags": [], "cores": os.cpu_count()}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as file:
            for line in file:
                name, _, value = line.partition(":")
                name, value = name.strip(), value.strip()
                if name == "model name":
                    cpu["model_name"] = value
                elif name == "cpu family":
                    cpu["family"] = value
                elif name == "model":
                    cpu["model"] = value
                elif name == "stepping":
                    cpu["stepping"] = value
                elif name in ("flags", "Features") and not cpu["flags"]:
                    cpu["flags"] = sorted(set(value.split()) & {"avx512f", "avx512vl", "avx2", "fma", "asimd"})
    except OSError:
        pass
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout.splitlines():
            name, _, value = line.partition(":")
            if name.strip() in ("L1d cache", "L2 cache", "L3 cache"):
                cpu[name.strip().split()[0].lower()] = value.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    try:
        with open("/proc/meminfo", encoding="utf-8") as file:
            for line in file:
                if line.startswith("MemTotal:"):
                    cpu["memory"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return cpu


def cpu_description(cpu):
    if not cpu:
        return "not recorded"
    flags = set(cpu.get("flags", []))
    extensions = ", ".join(f"{name} {'yes' if flag in flags else 'no'}" for name, flag in [("AVX-512", "avx512f"), ("AVX2", "avx2"), ("FMA", "fma")])
    parts = [f"{cpu.get('model_name', 'unknown')}, family {cpu.get('family')} model {cpu.get('model')} stepping {cpu.get('stepping')}",
             extensions, f"{cpu.get('cores')} cores"]
    caches = ", ".join(f"{level.upper()} {cpu[level]}" for level in ("l1d", "l2", "l3") if cpu.get(level))
    if caches:
        parts.append(caches)
    return "; ".join(parts)


def pytorch_description(pytorch):
    if not pytorch:
        return "not measured"
    package = f" (Debian python3-torch {pytorch['torch_package']})" if pytorch.get("torch_package") else ""
    return (f"{pytorch.get('torch', 'unknown')}{package}, BLAS {pytorch.get('blas', 'unknown')}, "
            f"numpy {pytorch.get('numpy', 'unknown')}, Python {pytorch.get('python', 'unknown')}")


def markdown_table(header, rows, numeric=True):
    """A Markdown table whose first column is left-aligned and the others right-aligned when `numeric`."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" ---: " if numeric and i > 0 else " --- " for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def text_table(header, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    def line(cells):
        return "  ".join(str(cell).ljust(width) if i == 0 else str(cell).rjust(width) for i, (cell, width) in enumerate(zip(cells, widths)))
    return "\n".join([line(header), line(["-" * width for width in widths])] + [line(row) for row in rows])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", help="the folder compare.sh writes the results into")
    parser.add_argument("--out", help="the Markdown file to write")
    parser.add_argument("--save-cpu", help="only describe the CPU at hand into this JSON file")
    args = parser.parse_args()

    if args.save_cpu:
        with open(args.save_cpu, "w", encoding="utf-8") as file:
            json.dump(describe_cpu(), file, indent=2)
        return 0
    if not args.results or not args.out:
        parser.error("--results and --out are required")

    pytorch = load_json(os.path.join(args.results, "pytorch.json"))
    run = load_json(os.path.join(args.results, "run.json"))
    cpu = load_json(os.path.join(args.results, "cpu.json"))
    cartpole = load_json(os.path.join(args.results, "cartpole.json"))
    lanes = run.get("lanes", {})
    paths, host = [], {}
    for folder, label in PATHS:
        ppo, found_host = load_ppo(args.results, folder)
        if not ppo:
            continue
        host = host or found_host
        path_lanes = lanes.get(folder)
        gemm, gemm_peak, gemm_rounds = gemm_table(args.results, folder)
        paths.append({"folder": folder, "label": run.get("labels", {}).get(folder, label), "ppo": ppo,
                      "gemm": gemm, "gemm_peak": gemm_peak, "gemm_rounds": gemm_rounds,
                      "peak": peak_gflops(ppo, path_lanes)})
    if not paths and not pytorch:
        print(f"No results in {args.results}: run benchmarks/compare.sh first.", file=sys.stderr)
        return 1
    torch_results = {entry["name"]: entry["median_us"] for entry in pytorch.get("results", [])}
    main_path = paths[0] if paths else {"ppo": {}, "gemm": {}, "gemm_peak": None, "gemm_rounds": None, "peak": None, "label": "default"}
    ppo = main_path["ppo"]

    comparison = []
    for section, label, key, torch_name in comparison_rows():
        comparison.append((section, label, [path["ppo"].get(key) for path in paths], torch_results.get(torch_name)))

    def first_median(measurements):
        return measurements[0].median_us if measurements and measurements[0] else None

    print(text_table(
        ["Work item", "Ppo", "PyTorch", "PyTorch ÷ Ppo"],
        [[label, format_us(first_median(ours)), format_us(theirs), format_ratio(theirs, first_median(ours))]
         for _, label, ours, theirs in comparison]))

    targets = target_rows(paths, torch_results, cartpole)
    path_labels = [path["label"] for path in paths]
    print()
    print(text_table(["Target", "Goal"] + path_labels,
                     [[label, goal] + [f"{text} [{verdict(met) if goal != 'reported' else 'reported'}]" for text, met in measured]
                      + [""] * (len(paths) - len(measured)) for label, goal, measured in targets]))

    out = []
    out.append("# Benchmark results: Ppo versus PyTorch and OpenBLAS")
    out.append("")
    out.append("Generated by `bash benchmarks/compare.sh` (do not edit by hand). Every figure on this page was measured in the "
               "same run on the machine below: Ppo (BenchmarkDotNet), PyTorch (our scripts in `benchmarks/pytorch/`), "
               "OpenBLAS (`cblas_sgemm`, one thread) and the FMA peak (`FmaPeakBenchmarks`, a calibration kernel). Times are "
               "medians per call; \"PyTorch ÷ Ppo\" above 1 means Ppo is faster. The BenchmarkDotNet reports are in "
               "[`results/`](results/) (one folder per vector path), the PyTorch medians in [`results/pytorch.json`](results/pytorch.json).")
    out.append("")
    out.append("## Machine and versions")
    out.append("")
    path_rows = []
    for path in paths:
        settings = run.get("settings", {}).get(path["folder"], "")
        peak = f"{path['peak']:.1f} GFLOP/s" if path["peak"] else "not measured"
        path_rows.append([f"Path \"{path['label']}\"", f"{settings or 'no settings'}; measured FMA peak of one core {peak}"])
    out.append(markdown_table(["Item", "Value"], [
        ["CPU", cpu_description(cpu)],
        ["Memory", cpu.get("memory", "unknown")],
        ["OS", host.get("OsVersion", "unknown")],
        [".NET", f"{host.get('RuntimeVersion', 'unknown')}, SDK {run.get('dotnet_sdk', host.get('DotNetCliVersion', 'unknown'))}"],
        ["BenchmarkDotNet", f"{host.get('BenchmarkDotNetVersion', 'unknown')}, job `{run.get('dotnet_job', 'unknown')}`"],
        *path_rows,
        ["PyTorch", pytorch_description(pytorch)],
        ["Threads", "Ppo: one, except where a row says two cores: there `ActorCritic` computes the actor and the critic side by "
                    "side, and each steps its own parameters on its own thread. PyTorch: one (`torch.set_num_threads` "
                    "and, for the OpenBLAS it calls, `openblas_set_num_threads`), two in the rows that say so, "
                    f"`OMP_WAIT_POLICY={pytorch.get('omp_wait_policy', 'unset')}`. OpenBLAS baseline of the GEMM: one"],
        ["PyTorch's allocator", "glibc malloc told to keep freed memory (`mallopt`), as with jemalloc or tcmalloc"
         if pytorch.get("malloc_keeps_freed_memory") else "glibc malloc defaults"],
        ["Stable-Baselines3", f"{cartpole.get('sb3_version')} on PyTorch {cartpole.get('sb3_torch')}, {cartpole.get('sb3_threads')} torch threads"
         if cartpole.get("sb3_version") else "not importable in this run: the CartPole row is left out"],
        ["Mode", run.get("mode", "unknown")],
        ["Date", run.get("date", pytorch.get("date", "unknown"))],
        ["Load average (1, 5, 15 min)", f"{run.get('load_before', '?')} before, {run.get('load_after', '?')} after"],
    ], numeric=False))
    out.append("")
    out.append("The machine's cores may be shared with other work, so numbers are noisy (see the load average): medians are "
               "reported on both sides, and a number that looks off should be measured again (`--filter` on the "
               "BenchmarkDotNet side, `benchmarks/pytorch/run.py --filter` on the PyTorch side). Rows on two cores suffer "
               "most when the other core is busy.")
    out.append("")

    out.append("## Targets")
    out.append("")
    out.append("Ratios of figures measured in this run, for each vector path. \"reported\" rows have no target.")
    out.append("")
    target_table = []
    for label, goal, measured in targets:
        cells = []
        for text, met in measured:
            cells += [text, "reported" if goal == "reported" else verdict(met)]
        cells += ["", ""] * (len(paths) - len(measured))
        target_table.append([label, goal] + cells)
    header = ["Work item", "Target"]
    for label in path_labels:
        header += [f"{label} path", "Status"]
    out.append(markdown_table(header, target_table, numeric=False))
    out.append("")
    if cartpole:
        out.append(f"CartPole: the sample's `trained in` (1e5 steps, the zoo's hyperparameters, default path) under "
                   f"`{cartpole.get('readme_command', 'the README command')}`, under `dotnet run -c Release --project "
                   "samples/CartPole` alone (its build check runs in the process that then waits for the sample, and that "
                   "process's compiler goes on working on the second core) and as the built program, against "
                   "`benchmarks/pytorch/sb3_cartpole.py` (Stable-Baselines3's `PPO.learn` with the same hyperparameters).")
        out.append("")

    out.append("## Ppo and PyTorch, the same work")
    out.append("")
    out.append("Each PyTorch case computes what the Ppo kernel returns: the losses with their gradients with respect to the "
               "network outputs (through `torch.autograd.grad`), the distribution heads from the network output to its "
               "gradient, the MLP forward under `no_grad` and forward + backward, the minibatch update as "
               "Stable-Baselines3's `PPO.train` runs it, and inference under `no_grad` from numpy observations to numpy actions. "
               f"Ppo columns: the {', '.join(path_labels)} path{'s' if len(paths) > 1 else ''}.")
    header = ["Work item"] + [f"Ppo ({label})" for label in path_labels] + ["Allocated", "PyTorch", "PyTorch ÷ Ppo"]
    current, rows = None, []
    for section, label, ours, theirs in comparison:
        if section != current:
            if current is not None:
                out.append(markdown_table(header, rows))
            out.append("")
            out.append(f"### {section}")
            out.append("")
            rows, current = [], section
        first = ours[0] if ours else None
        rows.append([label] + [format_us(entry.median_us if entry else None) for entry in ours]
                    + [format_bytes(first.allocated_bytes if first else None), format_us(theirs),
                       format_ratio(theirs, first.median_us if first else None)])
    if current is not None:
        out.append(markdown_table(header, rows))
    out.append("")

    out.append("## GEMM versus OpenBLAS and the FMA peak")
    out.append("")
    out.append("The three products of a hidden `width → width` layer on a batch (`m × n × k` below), each overwriting C; "
               "OpenBLAS (`cblas_sgemm`, single thread) is the baseline. They are measured side by side "
               "(`Ppo.Benchmarks --gemm-side-by-side`): in each round, one block of about 8 ms of Ppo's product, one of "
               "OpenBLAS's and one of the FMA peak kernel (`FmaPeakBenchmarks`), in an order that rotates from round to "
               "round; times are medians over the rounds, and the two ratios are medians of each round's own ratios, so "
               "that the machine's drift between minutes does not enter them. Throughput counts 2·m·n·k floating-point "
               "operations. BenchmarkDotNet's `GemmBenchmarks` (in `results/`) measure the same calls one after the "
               "other, for their allocation.")
    for path in paths:
        out.append("")
        heading = f"### {path['label']} path"
        if path["gemm_peak"]:
            heading += f" (peak {path['gemm_peak']:.1f} GFLOP/s, the median over the {path['gemm_rounds']} rounds of every case)"
        out.append(heading)
        out.append("")
        gemm_rows = []
        for category, _, label in GEMM_FORMS:
            for batch in BATCH_SIZES:
                for width in GEMM_WIDTHS:
                    ours_us, blas_us, share, gflops, share_of_peak = path["gemm"].get((category, batch, width), (None,) * 5)
                    m, n, k = (width, width, batch) if category == "dY^T*X" else (batch, width, width)
                    flops = 2.0 * batch * width * width
                    gemm_rows.append([
                        label, f"{m}×{n}×{k}", format_us(ours_us), format_us(blas_us),
                        f"{gflops:.1f}" if gflops else "—",
                        f"{flops / (blas_us * 1000):.1f}" if blas_us else "—",
                        format_share(share),
                        format_share(share_of_peak),
                    ])
        out.append(markdown_table(["Form", "m×n×k", "Ppo", "OpenBLAS", "Ppo GFLOP/s", "OpenBLAS GFLOP/s", "Ppo ÷ OpenBLAS", "Ppo ÷ peak"], gemm_rows))
    out.append("")

    out.append("## Rollout collection")
    out.append("")
    out.append("`PpoTrainer.CollectRollout` with the policy in the loop ([64, 64] actor and critic, sampled actions), "
               "per environment step over all environments, as the samples run it: CartPole's environments stepped on one "
               "thread, LunarLander's in two halves on the two cores (`SyncVectorEnvironment.StepInParallel`). "
               "No PyTorch figure: the CartPole row above compares whole training runs with Stable-Baselines3 instead.")
    out.append("")
    rollout_rows = []
    for method, label in [("CartPole8Envs", "CartPole-v1, 8 environments, 32 steps each"), ("LunarLander16Envs", "LunarLander-v3, 16 environments, 64 steps each")]:
        measurement = ppo.get(ppo_key("RolloutBenchmarks", method))
        per_step = measurement.median_us if measurement else None
        rollout_rows.append([label, format_us(per_step), f"{1e6 / per_step:,.0f}" if per_step else "—",
                             format_bytes(measurement.allocated_bytes if measurement else None)])
    out.append(markdown_table(["Environment", "Per step", "Steps per second", "Allocated per step"], rollout_rows))
    out.append("")

    out.append("## Allocation")
    out.append("")
    for path in paths:
        measured, allocating = ppo_allocations(path["ppo"])
        nonzero = sorted({f"`{key[0]}.{key[1]}`" for key in allocating})
        if not measured:
            out.append(f"- {path['label']} path: no allocation data.")
        elif nonzero:
            out.append(f"- {path['label']} path: benchmarks that allocate per call: " + ", ".join(nonzero) + ".")
        else:
            out.append(f"- {path['label']} path: every one of the {len(measured)} benchmark cases of Ppo allocates 0 B per call (BenchmarkDotNet's MemoryDiagnoser; the OpenBLAS reference cases are left out).")
    out.append("")

    with open(args.out, "w", encoding="utf-8") as file:
        file.write("\n".join(out))
    print(f"\nWrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
