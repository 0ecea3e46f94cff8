#!/usr/bin/env bash
# Times the CartPole sample's training (1e5 steps, the zoo's hyperparameters) on one core and on two, each with core 1
# free and with a busy loop of another process on core 1, and the README's command against `dotnet run` alone, to show
# that Ppo's second thread never makes a run slower than one thread.
#
#   bash benchmarks/busy-core.sh [REPEATS]     REPEATS rounds (default 3) of every case; prints the median training seconds
#
# Needs two or more cores and taskset (util-linux). The busy loop and the sample are pinned with taskset: the sample to
# core 0, or to cores 0 and 1, the loop to core 1. Each round runs every case once, so that the host's drift over the
# minutes of a run reaches all cases alike. On a virtual machine the loop on core 1 can slow core 0 itself; the one-core
# run beside the same loop shows by how much.
set -euo pipefail
cd "$(dirname "$0")/.."

repeats=${1:-3}
command -v taskset >/dev/null || { echo "taskset (util-linux) is not on PATH." >&2; exit 1; }
[ "$(nproc)" -ge 2 ] || { echo "Needs at least two cores (has $(nproc))." >&2; exit 1; }

dotnet build samples/CartPole -c Release -nologo -v quiet
sample=samples/CartPole/bin/Release/net10.0/CartPole.dll
scratch=$(mktemp -d)
busy=
cleanup() {
  [ -n "$busy" ] && kill "$busy" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

# Runs "$@" with --summary; prints the training seconds it reports.
training_seconds() {
  "$@" --summary "$scratch/summary.json" >/dev/null
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["train_seconds"])' "$scratch/summary.json"
}

# The median of the numbers given as arguments.
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

start_busy_loop() {
  taskset -c 1 sh -c 'while :; do :; done' &
  busy=$!
}

stop_busy_loop() {
  kill "$busy"
  wait "$busy" 2>/dev/null || true
  busy=
}

one_core=() two_cores=() one_core_busy=() two_cores_busy=() readme=() run_alone=()
for ((round = 0; round < repeats; round++)); do
  one_core+=("$(training_seconds taskset -c 0 dotnet "$sample")")
  two_cores+=("$(training_seconds taskset -c 0,1 dotnet "$sample")")
  start_busy_loop
  one_core_busy+=("$(training_seconds taskset -c 0 dotnet "$sample")")
  two_cores_busy+=("$(training_seconds taskset -c 0,1 dotnet "$sample")")
  stop_busy_loop
  # The README's command builds, then runs the built sample: `dotnet build` has finished before `dotnet run --no-build`
  # starts it. `dotnet run` alone checks the build in the process that then waits for the sample.
  readme+=("$(training_seconds dotnet run -c Release --no-build --project samples/CartPole --)")
  run_alone+=("$(training_seconds dotnet run -c Release --project samples/CartPole --)")
done
one_core=$(median "${one_core[@]}")
two_cores=$(median "${two_cores[@]}")
one_core_busy=$(median "${one_core_busy[@]}")
two_cores_busy=$(median "${two_cores_busy[@]}")
readme=$(median "${readme[@]}")
run_alone=$(median "${run_alone[@]}")

printf '%-62s %8s\n' "CartPole-v1, 1e5 steps (median of $repeats)" "training"
printf '%-62s %7.2f s\n' "one core (taskset -c 0)" "$one_core"
printf '%-62s %7.2f s\n' "two cores (taskset -c 0,1)" "$two_cores"
printf '%-62s %7.2f s\n' "one core, a busy loop of another process on core 1" "$one_core_busy"
printf '%-62s %7.2f s\n' "two cores, a busy loop of another process on core 1" "$two_cores_busy"
printf '%-62s %7.2f s\n' "the README's command (dotnet build, then dotnet run --no-build)" "$readme"
printf '%-62s %7.2f s\n' "dotnet run -c Release --project samples/CartPole alone" "$run_alone"
awk -v one="$one_core" -v one_busy="$one_core_busy" -v busy="$two_cores_busy" 'BEGIN {
  printf "busy second core against one core: %.2f× the time (at most 1 is the target)\n", busy / one
  printf "busy second core against one core beside the same loop: %.2f× the time\n", busy / one_busy }'
