"""Builds the Ppo-versus-PyTorch comparison from the exported results and writes RESULTS.md.

    python3 benchmarks/report.py --results benchmarks/results --out benchmarks/RESULTS.md

Reads the BenchmarkDotNet brief JSON reports (results/dotnet/*-report-brief.json), the PyTorch medians
(results/pytorch.json) and the run description (results/run.json) that compare.sh writes. Standard library only.
"""

import argparse
import glob
import json
import os
import subprocess
import sys
from dataclasses import dataclass

GAE_ROLLOUTS = ["32x8", "1024x16", "2048x8", "2048x64"]
BATCH_SIZES = [64, 256, 2048]
HIDDEN_SIZES = [64, 256]
GEMM_FORMS = [
    ("X*W^T", "TransposedB", "forward X·Wᵀ"),
    ("dY*W", "Multiply", "input gradient dY·W"),
    ("dY^T*X", "TransposedA", "weight gradient dYᵀ·X"),
]

# Stable-Baselines3 2.4.1 on PyTorch 1.13 with OpenBLAS, one thread, on the reference machine (microseconds).
SB3_GAE_2048X8 = 8900.0
SB3_UPDATE_SMALL = 900.0
SB3_UPDATE_LARGE = 21800.0
SB3_INFERENCE_8 = 86.0


@dataclass(frozen=True)
class Measurement:
    median_us: float
    allocated_bytes: int | None = None


def ppo_key(type_name, method, **parameters):
    return (type_name, method, tuple(sorted((name, str(value)) for name, value in parameters.items())))


def load_ppo(results):
    measurements, host = {}, {}
    for path in sorted(glob.glob(os.path.join(results, "dotnet", "*-report-brief.json"))):
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


def target_rows(ppo, torch_results, gemm):
    """(work item, Ppo, PyTorch measured in this run, reference, target, met)."""

    def median(key):
        measurement = ppo.get(key)
        return measurement.median_us if measurement else None

    def at_most(value, limit):
        return None if value is None else value <= limit

    def sb3(value):
        return f"Stable-Baselines3 {format_us(value)}"

    rows = []
    gae = median(ppo_key("GaeBenchmarks", "Compute", Shape="2048x8"))
    rows.append(("GAE 2048×8", gae, torch_results.get("gae/sb3-numpy/2048x8"), sb3(SB3_GAE_2048X8), "≤ 5 µs", at_most(gae, 5.0)))
    for threads, cores in [(2, "Ppo on both cores"), (1, "Ppo on one core")]:
        small = median(ppo_key("MinibatchUpdateBenchmarks", "Hidden64Batch64", Threads=threads))
        rows.append((f"Minibatch update, [64, 64], batch 64 ({cores})", small, torch_results.get("update/h64/b64/t1"), sb3(SB3_UPDATE_SMALL), "≤ 40 µs", at_most(small, 40.0)))
    large = median(ppo_key("MinibatchUpdateBenchmarks", "Hidden256Batch2048", Threads=2))
    both_cores = torch_results.get("update/h256/b2048/t2")
    met = None if large is None or both_cores is None else both_cores / large >= 2.0
    rows.append(("Minibatch update, [256, 256], batch 2048 (both on both cores)", large, both_cores, sb3(SB3_UPDATE_LARGE) + " (one thread)",
                 "≥ 2× faster than PyTorch on both cores", met))
    for threads, cores in [(2, "Ppo on both cores"), (1, "Ppo on one core")]:
        act = median(ppo_key("InferenceBenchmarks", "Act", Threads=threads))
        rows.append((f"Inference, 8 observations, Act ({cores})", act, torch_results.get("inference/act/8"), sb3(SB3_INFERENCE_8), "≤ 5 µs", at_most(act, 5.0)))
    for category, _, label in GEMM_FORMS:
        ours_us, blas_us, share = gemm.get((category, 256, 256), (None, None, None))
        reference = f"OpenBLAS {format_us(blas_us)}: Ppo at {share:.0f} %" if share is not None else "OpenBLAS —"
        rows.append((f"GEMM 256×256×256, {label}", ours_us, None, reference,
                     "≥ 50 % of OpenBLAS throughput", None if share is None else share >= 50.0))
    return rows


def gemm_table(ppo):
    """(category, batch, width) → (Ppo µs, OpenBLAS µs, Ppo throughput as % of OpenBLAS)."""
    table = {}
    for category, suffix, _ in GEMM_FORMS:
        for batch in BATCH_SIZES:
            for width in HIDDEN_SIZES:
                ours = ppo.get(ppo_key("GemmBenchmarks", "Ppo" + suffix, BatchSize=batch, Width=width))
                blas = ppo.get(ppo_key("GemmBenchmarks", "OpenBlas" + suffix, BatchSize=batch, Width=width))
                ours_us = ours.median_us if ours else None
                blas_us = blas.median_us if blas else None
                share = 100.0 * blas_us / ours_us if ours_us and blas_us else None
                table[(category, batch, width)] = (ours_us, blas_us, share)
    return table


def machine():
    model, cpus, memory = "unknown", "unknown", "unknown"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout.splitlines():
            name, _, value = line.partition(":")
            if name.strip() == "Model name":
                model = value.strip()
            elif name.strip() == "CPU(s)":
                cpus = value.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    try:
        with open("/proc/meminfo", encoding="utf-8") as file:
            for line in file:
                if line.startswith("MemTotal:"):
                    memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return model, cpus, memory


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
    parser.add_argument("--results", required=True, help="the folder compare.sh writes the results into")
    parser.add_argument("--out", required=True, help="the Markdown file to write")
    args = parser.parse_args()

    ppo, host = load_ppo(args.results)
    pytorch = load_json(os.path.join(args.results, "pytorch.json"))
    run = load_json(os.path.join(args.results, "run.json"))
    if not ppo and not pytorch:
        print(f"No results in {args.results}: run benchmarks/compare.sh first.", file=sys.stderr)
        return 1
    torch_results = {entry["name"]: entry["median_us"] for entry in pytorch.get("results", [])}
    gemm = gemm_table(ppo)

    comparison = []
    for section, label, key, torch_name in comparison_rows():
        ours = ppo.get(key)
        theirs = torch_results.get(torch_name)
        comparison.append((section, label, ours, theirs))

    print(text_table(
        ["Work item", "Ppo", "PyTorch", "PyTorch ÷ Ppo"],
        [[label, format_us(ours.median_us if ours else None), format_us(theirs), format_ratio(theirs, ours.median_us if ours else None)]
         for _, label, ours, theirs in comparison]))

    model, cpus, memory = machine()
    out = []
    out.append("# Benchmark results: Ppo versus PyTorch")
    out.append("")
    out.append("Generated by `bash benchmarks/compare.sh` (do not edit by hand). Times are medians per call; "
               "\"PyTorch ÷ Ppo\" above 1 means Ppo is faster. The BenchmarkDotNet reports are in "
               "[`results/dotnet/`](results/dotnet/), the PyTorch medians in [`results/pytorch.json`](results/pytorch.json).")
    out.append("")
    out.append("## Machine and versions")
    out.append("")
    out.append(markdown_table(["Item", "Value"], [
        ["CPU", f"{model}, {cpus} cores (lscpu)"],
        ["Memory", memory],
        ["OS", host.get("OsVersion", "unknown")],
        [".NET", f"{host.get('RuntimeVersion', 'unknown')}, SDK {run.get('dotnet_sdk', host.get('DotNetCliVersion', 'unknown'))}"],
        ["BenchmarkDotNet", f"{host.get('BenchmarkDotNetVersion', 'unknown')}, job `{run.get('dotnet_job', 'unknown')}`"],
        ["PyTorch", pytorch_description(pytorch)],
        ["Threads", "Ppo: one, except where a row says both cores: there `ActorCritic` computes the actor and the critic side by "
                    "side (its default from 50,000 rows × parameters, so rollout collection runs that way too) and `Adam` steps the two "
                    "halves of the parameters side by side (its default from 4,096 parameters). PyTorch: one (`torch.set_num_threads` and, for the OpenBLAS it calls, `openblas_set_num_threads`), "
                    f"two in the rows that say \"both on both cores\", `OMP_WAIT_POLICY={pytorch.get('omp_wait_policy', 'unset')}`. "
                    "OpenBLAS baseline of the GEMM: one"],
        ["PyTorch's allocator", "glibc malloc told to keep freed memory (`mallopt`), as with jemalloc or tcmalloc"
         if pytorch.get("malloc_keeps_freed_memory") else "glibc malloc defaults"],
        ["Mode", run.get("mode", "unknown")],
        ["Date", run.get("date", pytorch.get("date", "unknown"))],
        ["Load average (1, 5, 15 min)", f"{run.get('load_before', '?')} before, {run.get('load_after', '?')} after"],
    ], numeric=False))
    out.append("")
    out.append("The machine's two cores are shared with other work, so numbers are noisy (see the load average): "
               "medians are reported on both sides, and a number that looks off should be measured again "
               "(`--filter` on the BenchmarkDotNet side, `benchmarks/pytorch/run.py --filter` on the PyTorch side). "
               "Rows on both cores suffer most when the other core is busy.")
    out.append("")

    out.append("## Targets")
    out.append("")
    out.append("PyTorch is our own scripts, measured in this run. The Stable-Baselines3 references are Stable-Baselines3 2.4.1 "
               "on PyTorch 1.13 with OpenBLAS, one thread, on this machine; the OpenBLAS reference is the GEMM baseline of this run.")
    out.append("")
    target_table = []
    for label, ours, theirs, reference, target, met in target_rows(ppo, torch_results, gemm):
        target_table.append([label, format_us(ours), format_us(theirs), reference, target, verdict(met)])
    nonzero = sorted(f"{key[0]}.{key[1]}" for key, value in ppo.items() if value.allocated_bytes)
    measured = [value for value in ppo.values() if value.allocated_bytes is not None]
    allocation_met = None if not measured else not nonzero
    target_table.append(["Allocation per call, every benchmark", f"{len(measured) - len(nonzero)} of {len(measured)} at 0 B", "—", "—", "0 B", verdict(allocation_met)])
    out.append(markdown_table(["Work item", "Ppo", "PyTorch", "Reference", "Target", "Status"], target_table, numeric=False))
    out.append("")

    out.append("## Ppo and PyTorch, the same work")
    out.append("")
    out.append("Each PyTorch case computes what the Ppo kernel returns: the losses with their gradients with respect to the "
               "network outputs (through `torch.autograd.grad`), the distribution heads from the network output to its "
               "gradient, the MLP forward under `no_grad` and forward + backward, the minibatch update as "
               "Stable-Baselines3's `PPO.train` runs it, and inference under `no_grad` from numpy observations to numpy actions.")
    current = None
    for section, label, ours, theirs in comparison:
        if section != current:
            if current is not None:
                out.append(markdown_table(["Work item", "Ppo", "Allocated", "PyTorch", "PyTorch ÷ Ppo"], rows))
            out.append("")
            out.append(f"### {section}")
            out.append("")
            rows, current = [], section
        rows.append([label, format_us(ours.median_us if ours else None), format_bytes(ours.allocated_bytes if ours else None),
                     format_us(theirs), format_ratio(theirs, ours.median_us if ours else None)])
    if current is not None:
        out.append(markdown_table(["Work item", "Ppo", "Allocated", "PyTorch", "PyTorch ÷ Ppo"], rows))
    out.append("")

    out.append("## GEMM versus OpenBLAS")
    out.append("")
    out.append("The three products of a hidden `width → width` layer on a batch (`m × n × k` below), each overwriting C; "
               "OpenBLAS (`cblas_sgemm`, single thread) is the baseline. Throughput counts 2·m·n·k floating-point operations.")
    out.append("")
    gemm_rows = []
    for category, _, label in GEMM_FORMS:
        for batch in BATCH_SIZES:
            for width in HIDDEN_SIZES:
                ours_us, blas_us, share = gemm[(category, batch, width)]
                m, n, k = (width, width, batch) if category == "dY^T*X" else (batch, width, width)
                flops = 2.0 * batch * width * width
                gemm_rows.append([
                    label, f"{m}×{n}×{k}", format_us(ours_us), format_us(blas_us),
                    f"{flops / (ours_us * 1000):.1f}" if ours_us else "—",
                    f"{flops / (blas_us * 1000):.1f}" if blas_us else "—",
                    f"{share:.0f} %" if share is not None else "—",
                ])
    out.append(markdown_table(["Form", "m×n×k", "Ppo", "OpenBLAS", "Ppo GFLOP/s", "OpenBLAS GFLOP/s", "Ppo throughput ÷ OpenBLAS"], gemm_rows))
    out.append("")

    out.append("## Rollout collection")
    out.append("")
    out.append("`PpoTrainer.CollectRollout` with the policy in the loop ([64, 64] actor and critic, sampled actions), "
               "per environment step over all environments, as the samples run it: CartPole's environments stepped on one "
               "thread, LunarLander's in two halves on the two cores (`SyncVectorEnvironment.StepInParallel`). "
               "No PyTorch figure: Gymnasium is not installed here.")
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
    if not measured:
        out.append("No allocation data.")
    elif nonzero:
        out.append("Benchmarks that allocate per call: " + ", ".join(f"`{name}`" for name in sorted(set(nonzero))) + ".")
    else:
        out.append(f"Every one of the {len(measured)} benchmark cases allocates 0 B per call (BenchmarkDotNet's MemoryDiagnoser).")
    out.append("")

    with open(args.out, "w", encoding="utf-8") as file:
        file.write("\n".join(out))
    print(f"\nWrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
