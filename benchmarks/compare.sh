#!/usr/bin/env bash
# Runs the Ppo benchmarks (BenchmarkDotNet) and the same work in PyTorch and OpenBLAS on this machine, then prints the
# comparison and writes benchmarks/RESULTS.md next to the exported reports in benchmarks/results/.
#
#   bash benchmarks/compare.sh            full run (about 12 minutes on 2 cores with AVX-512, 8 without)
#   bash benchmarks/compare.sh --quick    shorter jobs and fewer samples, for iterating (about 3 minutes)
#   bash benchmarks/compare.sh --report   rebuild the table and RESULTS.md from the results already in benchmarks/results/
#
# On a CPU with AVX-512 the benchmarks behind the targets (GEMM, FMA peak, minibatch update, inference) run a second
# time on the AVX2 path (DOTNET_EnableAVX512=0). When `import stable_baselines3` works (PYTHONPATH, see README.md), the
# CartPole zoo run is timed in Stable-Baselines3 and in the CartPole sample as well.
# Needs the .NET 10 SDK, Debian's python3-torch, OpenBLAS, Box2D and g++ (libbox2d-dev g++). Installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
case "${1:-}" in
  "") ;;
  --quick) mode=quick ;;
  --report) mode=report ;;
  -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "Unknown option '$1' (use --quick, --report or --help)." >&2; exit 2 ;;
esac

python=/usr/bin/python3
results=benchmarks/results
artifacts=benchmarks/BenchmarkDotNet.Artifacts

if [ "$mode" != report ]; then
  missing=()
  command -v dotnet >/dev/null || { echo "The .NET 10 SDK (dotnet) is not on PATH." >&2; exit 1; }
  if ! "$python" -c 'import torch, numpy' 2>/dev/null; then missing+=(python3-torch); fi
  if ! ldconfig -p 2>/dev/null | grep 'libopenblas\.so\.0 ' >/dev/null; then missing+=(libopenblas0-pthread); fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Missing: ${missing[*]}. Install with: apt-get install ${missing[*]}" >&2
    exit 1
  fi

  # Many short iterations, like the PyTorch side's 20 ms samples, so that the median sets aside the ones in which other
  # work on the shared cores interrupted the benchmark.
  if [ "$mode" = quick ]; then
    job=(--warmupCount 2 --iterationCount 9 --iterationTime 25)
    side_by_side_rounds=7
    pytorch_mode=(--quick)
  else
    job=(--warmupCount 6 --iterationCount 60 --iterationTime 50)
    side_by_side_rounds=21
    pytorch_mode=()
  fi

  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  mkdir -p "$results"
  PYTHONDONTWRITEBYTECODE=1 "$python" benchmarks/report.py --save-cpu "$results/cpu.json"
  dotnet build benchmarks/Ppo.Benchmarks -c Release -nologo -v quiet
  # The LunarLander rollout benchmark needs the Box2D shim, which the build compiles only when it finds the Box2D
  # headers and a C++ compiler; stop now rather than when BenchmarkDotNet reaches that benchmark.
  if [ ! -f benchmarks/Ppo.Benchmarks/bin/Release/net10.0/libppo_box2d.so ]; then
    echo "The build made no Box2D shim (libppo_box2d.so), which the LunarLander rollout benchmark needs. Install with: apt-get install libbox2d-dev g++" >&2
    exit 1
  fi

  # run_dotnet FOLDER SETTINGS FILTER...: one BenchmarkDotNet pass under the runtime settings, into results/FOLDER.
  run_dotnet() {
    local folder=$1 settings=$2
    shift 2
    rm -rf "$artifacts" "$results/$folder"
    # BenchmarkDotNet builds a project of its own per pass; its default two minutes ran out on a loaded machine.
    # shellcheck disable=SC2086 # the settings are words by design
    env $settings dotnet run -c Release --no-build --project benchmarks/Ppo.Benchmarks -- \
      --filter "$@" "${job[@]}" --buildTimeout 900 --exporters briefjson github --artifacts "$artifacts"
    mkdir -p "$results/$folder"
    for report in "$artifacts"/results/*-report-brief.json "$artifacts"/results/*-report-github.md; do
      name=$(basename "$report")
      cp "$report" "$results/$folder/${name#Ppo.Benchmarks.}"
    done
  }

  # run_side_by_side FOLDER SETTINGS: the GEMM, OpenBLAS and the FMA peak kernel in alternating blocks, into
  # results/FOLDER/gemm-side-by-side.json (the ratios of the GEMM targets).
  run_side_by_side() {
    # shellcheck disable=SC2086 # the settings are words by design
    env $2 DOTNET_TieredCompilation=0 dotnet benchmarks/Ppo.Benchmarks/bin/Release/net10.0/Ppo.Benchmarks.dll \
      --gemm-side-by-side "$results/$1/gemm-side-by-side.json" "$side_by_side_rounds"
  }

  if grep -qw avx512f /proc/cpuinfo; then
    default_lanes=16
  elif grep -qw avx2 /proc/cpuinfo; then
    default_lanes=8
  else
    default_lanes=4
  fi
  run_dotnet dotnet "" '*'
  run_side_by_side dotnet ""
  paths='"dotnet": ""'
  lanes="\"dotnet\": $default_lanes"
  labels="\"dotnet\": \"$([ "$default_lanes" = 16 ] && echo AVX-512 || echo default)\""
  if [ "$default_lanes" = 16 ] && grep -qw avx2 /proc/cpuinfo; then
    run_dotnet dotnet-avx2 DOTNET_EnableAVX512=0 '*GemmBenchmarks*' '*FmaPeakBenchmarks*' '*MinibatchUpdateBenchmarks*' '*InferenceBenchmarks*'
    run_side_by_side dotnet-avx2 DOTNET_EnableAVX512=0
    paths="$paths, \"dotnet-avx2\": \"DOTNET_EnableAVX512=0\""
    lanes="$lanes, \"dotnet-avx2\": 8"
    labels="$labels, \"dotnet-avx2\": \"AVX2\""
  fi

  PYTHONDONTWRITEBYTECODE=1 "$python" benchmarks/pytorch/run.py --out "$results/pytorch.json" "${pytorch_mode[@]}"

  # The CartPole zoo run: Stable-Baselines3 (only when importable), then the sample under the README's command (which
  # builds, then runs the built sample through `dotnet run --no-build`), under `dotnet run` alone (which also checks
  # the build, in the process that then waits for the sample) and as the built program, each reporting its training
  # seconds.
  rm -f "$results/cartpole.json"
  if "$python" -c 'import stable_baselines3, gymnasium' 2>/dev/null; then
    scratch=$(mktemp -d)
    PYTHONDONTWRITEBYTECODE=1 "$python" benchmarks/pytorch/sb3_cartpole.py --out "$scratch/sb3.json"
    dotnet build -c Release samples/CartPole && dotnet run -c Release --no-build --project samples/CartPole -- --summary "$scratch/readme.json"
    dotnet run -c Release --project samples/CartPole -- --summary "$scratch/run.json"
    dotnet samples/CartPole/bin/Release/net10.0/CartPole.dll --summary "$scratch/direct.json"
    "$python" - "$scratch" "$results/cartpole.json" <<'PY'
import json, os, sys
scratch, out = sys.argv[1], sys.argv[2]
load = lambda name: json.load(open(os.path.join(scratch, name)))
sb3, readme, run, direct = load("sb3.json"), load("readme.json"), load("run.json"), load("direct.json")
json.dump({"sb3_version": sb3["stable_baselines3"], "sb3_torch": sb3["torch"], "sb3_threads": sb3["threads"],
           "sb3_train_seconds": sb3["train_seconds"],
           "readme_command": "dotnet build -c Release samples/CartPole && dotnet run -c Release --no-build --project samples/CartPole",
           "readme_train_seconds": readme["train_seconds"], "run_train_seconds": run["train_seconds"],
           "direct_train_seconds": direct["train_seconds"]},
          open(out, "w"), indent=2)
PY
    rm -rf "$scratch"
  else
    echo "Stable-Baselines3 is not importable: the CartPole zoo run is skipped (see benchmarks/README.md)." >&2
  fi
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)

  cat > "$results/run.json" <<JSON
{
  "mode": "$mode",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "dotnet_sdk": "$(dotnet --version)",
  "dotnet_job": "${job[*]}",
  "settings": { $paths },
  "lanes": { $lanes },
  "labels": { $labels },
  "load_before": "$load_before",
  "load_after": "$load_after"
}
JSON
fi

PYTHONDONTWRITEBYTECODE=1 "$python" benchmarks/report.py --results "$results" --out benchmarks/RESULTS.md
