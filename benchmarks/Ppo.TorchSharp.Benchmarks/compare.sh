#!/usr/bin/env bash
# Times the TorchSharp engine beside the managed engine and PyTorch in one run, on the same cases: the minibatch update
# of separate [64, 64] actor and critic at batch 64 and of [256, 256] at batch 2048, the CNN update on MinAtar
# Breakout's 4×10×10 observations at batch 256 (TorchSharp and PyTorch), and acting on 8 observations; each on one
# thread and on two. It prints a Markdown table of the medians with the ratios and writes it, with the reports and the
# load averages, to benchmarks/Ppo.TorchSharp.Benchmarks/results/.
#
#   bash benchmarks/Ppo.TorchSharp.Benchmarks/compare.sh            about 6 minutes on 2 cores
#   bash benchmarks/Ppo.TorchSharp.Benchmarks/compare.sh --quick    fewer samples, about 3 minutes
#
# The TorchSharp benchmarks run natively where the C++ runtime is new enough for libtorch, and otherwise in the
# Debian 13 root of tests/torchsharp/in-debian13-root.sh. Needs the .NET 10 SDK and Debian's python3-torch.
set -euo pipefail
cd "$(dirname "$0")/../.."

quick=false
case "${1:-}" in
  "") ;;
  --quick) quick=true ;;
  -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "Unknown option '$1' (use --quick or --help)." >&2; exit 2 ;;
esac

python=/usr/bin/python3
if ! "$python" -c 'import torch, numpy' 2>/dev/null; then
  echo "Missing: python3-torch. Install with: apt-get install python3-torch" >&2
  exit 1
fi
if [ "$quick" = true ]; then
  job=(--warmupCount 2 --iterationCount 9 --iterationTime 25)
  pytorch_mode=(--quick)
else
  job=(--warmupCount 4 --iterationCount 31 --iterationTime 50)
  pytorch_mode=()
fi

results=benchmarks/Ppo.TorchSharp.Benchmarks/results
scratch=$(mktemp -d)
# Inside the repository (and ignored by git), which the Debian 13 root sees at the same path; its /tmp is its own.
artifacts=$PWD/benchmarks/BenchmarkDotNet.Artifacts/torchsharp-compare
trap 'rm -rf "$scratch" "$artifacts"' EXIT
rm -rf "$results" "$artifacts"
mkdir -p "$results/managed" "$results/torchsharp"
dotnet build benchmarks/Ppo.Benchmarks -c Release -nologo -v quiet
dotnet build benchmarks/Ppo.TorchSharp.Benchmarks -c Release -nologo -v quiet
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# Both engines compile every method optimized from its first call, as benchmarks/Ppo.Benchmarks explains: the managed
# benchmarks pass DOTNET_TieredCompilation=0 to the process BenchmarkDotNet builds for them; the TorchSharp ones run in
# process (no build inside the Debian 13 root) with the variable set on that process.
run_benchmarks() {
  local folder=$1
  shift
  "$@" "${job[@]}" --exporters briefjson --artifacts "$artifacts/$folder"
  cp "$artifacts/$folder"/results/*-report-brief.json "$results/$folder/"
}

run_benchmarks managed dotnet run -c Release --no-build --project benchmarks/Ppo.Benchmarks -- \
  --filter '*MinibatchUpdateBenchmarks*' '*InferenceBenchmarks.Act' --buildTimeout 900
torchsharp_benchmarks=(env DOTNET_TieredCompilation=0 dotnet benchmarks/Ppo.TorchSharp.Benchmarks/bin/Release/net10.0/Ppo.TorchSharp.Benchmarks.dll --filter '*' --inProcess)
if bash tests/torchsharp/in-debian13-root.sh --check; then
  run_benchmarks torchsharp "${torchsharp_benchmarks[@]}"
else
  run_benchmarks torchsharp bash tests/torchsharp/in-debian13-root.sh "${torchsharp_benchmarks[@]}"
fi
PYTHONDONTWRITEBYTECODE=1 "$python" benchmarks/pytorch/run.py --out "$scratch/update.json" --filter update/ "${pytorch_mode[@]}"
PYTHONDONTWRITEBYTECODE=1 "$python" benchmarks/pytorch/run.py --out "$scratch/inference.json" --filter inference/act "${pytorch_mode[@]}"
"$python" - "$scratch/update.json" "$scratch/inference.json" "$results/pytorch.json" <<'PY'
import json, sys
update, inference = (json.load(open(path, encoding="utf-8")) for path in sys.argv[1:3])
update["results"] += inference["results"]
json.dump(update, open(sys.argv[3], "w", encoding="utf-8"), indent=2)
PY

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
printf '{"date": "%s", "quick": %s, "load_before": "%s", "load_after": "%s"}\n' \
  "$(date -u +%Y-%m-%dT%H:%MZ)" "$quick" "$load_before" "$load_after" >"$results/run.json"
PYTHONDONTWRITEBYTECODE=1 "$python" benchmarks/Ppo.TorchSharp.Benchmarks/report.py "$results"
