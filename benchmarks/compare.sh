#!/usr/bin/env bash
# Runs the Ppo benchmarks (BenchmarkDotNet) and the same work in PyTorch, then prints the comparison and writes
# benchmarks/RESULTS.md next to the exported reports in benchmarks/results/.
#
#   bash benchmarks/compare.sh            full run (about 8 minutes on 2 cores)
#   bash benchmarks/compare.sh --quick    shorter jobs and fewer samples, for iterating (about 2 minutes)
#   bash benchmarks/compare.sh --report   rebuild the table and RESULTS.md from the results already in benchmarks/results/
#
# Needs the .NET 10 SDK, Debian's python3-torch and OpenBLAS. Installs nothing.
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
    pytorch_mode=(--quick)
  else
    job=(--warmupCount 6 --iterationCount 60 --iterationTime 50)
    pytorch_mode=()
  fi

  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  dotnet build benchmarks/Ppo.Benchmarks -c Release -nologo -v quiet
  rm -rf "$artifacts"
  dotnet run -c Release --no-build --project benchmarks/Ppo.Benchmarks -- \
    --filter '*' "${job[@]}" --exporters briefjson github --artifacts "$artifacts"

  rm -rf "$results/dotnet"
  mkdir -p "$results/dotnet"
  for report in "$artifacts"/results/*-report-brief.json "$artifacts"/results/*-report-github.md; do
    name=$(basename "$report")
    cp "$report" "$results/dotnet/${name#Ppo.Benchmarks.}"
  done

  PYTHONDONTWRITEBYTECODE=1 "$python" benchmarks/pytorch/run.py --out "$results/pytorch.json" "${pytorch_mode[@]}"
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)

  cat > "$results/run.json" <<JSON
{
  "mode": "$mode",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "dotnet_sdk": "$(dotnet --version)",
  "dotnet_job": "${job[*]}",
  "load_before": "$load_before",
  "load_after": "$load_after"
}
JSON
fi

PYTHONDONTWRITEBYTECODE=1 "$python" benchmarks/report.py --results "$results" --out benchmarks/RESULTS.md
