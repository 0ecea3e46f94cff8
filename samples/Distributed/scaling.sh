#!/usr/bin/env bash
# How the Distributed sample scales when the environment is the cost: LunarLander-v3 whose every step first busy-waits
# a fixed time (--spin-us, a stand-in for an expensive simulator), trained in the learner's own process (the local
# baseline, "0 workers": one vector stepped in two halves on two threads, as the local sample steps it) and with 1, 2
# and 4 worker processes. Prints steps per second and the speed-up against 1 worker process, and writes a JSON.
#
#   samples/Distributed/scaling.sh [--spin-us 100] [--timesteps 81920] [--seed 1] [--workers "0 1 2 4"] [--out scaling.json]
#
# Every run trains the same layout (16 environments, 1,024 steps each per update) for --timesteps steps; the sample's
# --summary gives the training time (the evaluation afterwards is not timed). Run it on a machine with nothing else on
# its cores, and with at least as many cores as worker processes plus one: busy cores show as lost speed-up.
set -euo pipefail
cd "$(dirname "$0")/../.."

spin=100
timesteps=81920
seed=1
workers="0 1 2 4"
out=scaling.json
while [ $# -gt 0 ]; do
  case "$1" in
    --spin-us) spin="$2" ;;
    --timesteps) timesteps="$2" ;;
    --seed) seed="$2" ;;
    --workers) workers="$2" ;;
    --out) out="$2" ;;
    *) echo "unknown option '$1'; see the head of $0" >&2; exit 2 ;;
  esac
  shift 2
done

dotnet build samples/Distributed -c Release --nologo -v quiet
runs=$(mktemp -d)
trap 'rm -rf "$runs"' EXIT
for n in $workers; do
  echo "== $n worker process(es) (0: in the learner's process), --spin-us $spin, $timesteps steps"
  # The sample exits 1 when a short run does not land (mean evaluation below 200); only its timing counts here.
  status=0
  dotnet run --no-build -c Release --project samples/Distributed -- \
    --workers "$n" --seed "$seed" --spin-us "$spin" --timesteps "$timesteps" --summary "$runs/$n.json" || status=$?
  if [ "$status" -gt 1 ] || [ ! -f "$runs/$n.json" ]; then
    echo "the run with $n worker process(es) failed (exit code $status)" >&2
    exit 1
  fi
done

# The summary is indented JSON, one field a line.
field() { sed -n "s/^ *\"$2\": *\([-0-9.eE+]*\),\{0,1\}$/\1/p" "$1"; }
baseline=1
case " $workers " in *" 1 "*) ;; *) baseline=${workers%% *} ;; esac
base=$(field "$runs/$baseline.json" StepsPerSecond)

machine="$(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
printf '\n%-8s %12s %10s %18s %16s\n' "workers" "steps/s" "speed-up" "slowest worker s" "round trip s"
json_runs=""
for n in $workers; do
  f="$runs/$n.json"
  sps=$(field "$f" StepsPerSecond)
  slowest=$(field "$f" MeanSlowestWorkerSeconds)
  round=$(field "$f" MeanRoundTripSeconds)
  speedup=$(awk -v a="$sps" -v b="$base" 'BEGIN { printf "%.3f", a / b }')
  label=$n
  if [ "$n" = 0 ]; then label=local; fi
  awk -v l="$label" -v s="$sps" -v u="$speedup" -v w="$slowest" -v r="$round" \
    'BEGIN { printf "%-8s %12.0f %9.2fx %18.3f %16.3f\n", l, s, u, w, r }'
  json_runs+="${json_runs:+,
}    { \"workers\": $n, \"steps_per_second\": $sps, \"speedup\": $speedup, \"mean_slowest_worker_seconds\": $slowest, \"mean_round_trip_seconds\": $round }"
done

cat > "$out" <<JSON
{
  "environment": "LunarLander-v3",
  "spin_us": $spin,
  "timesteps": $timesteps,
  "seed": $seed,
  "speedup_against_workers": $baseline,
  "machine": "$machine",
  "runs": [
$json_runs
  ]
}
JSON
echo "wrote $out (speed-up against $baseline worker process(es); 0 workers = the learner's own process)"
