#!/usr/bin/env bash
# Checks that no GEMM micro-kernel keeps vectors in stack slots inside its hot loop, on every vector width this machine
# has: the JIT's disassembly (DOTNET_JitDisasm) of each kernel that Ppo.JitCheck reaches, read by check-spills.py.
#
#   bash benchmarks/jit/check-spills.sh     exits 1 when a kernel spills on any width, 2 when a width showed no kernel
#
# Widths: AVX-512 (the default where the CPU has it), AVX2 (DOTNET_EnableAVX512=0) and Vector128 with 16 registers
# (DOTNET_EnableAVX512=0 DOTNET_PreferredVectorBitWidth=128, which keeps FMA); on Arm64, NEON only.
# .NET 10 reads DOTNET_EnableAVX512; the older DOTNET_EnableAVX512F is ignored.
set -euo pipefail
cd "$(dirname "$0")/../.."

project=benchmarks/jit/Ppo.JitCheck
dotnet build "$project" -c Release -nologo -v quiet
program="$project/bin/Release/net10.0/Ppo.JitCheck.dll"
listings=$(mktemp -d)
trap 'rm -rf "$listings"' EXIT

widths=()
if [ "$(uname -m)" = aarch64 ]; then
  widths+=("Vector128:")
else
  grep -qw avx512f /proc/cpuinfo && widths+=("Vector512:")
  grep -qw avx2 /proc/cpuinfo && widths+=("Vector256:DOTNET_EnableAVX512=0")
  widths+=("Vector128:DOTNET_EnableAVX512=0 DOTNET_PreferredVectorBitWidth=128")
fi

status=0
for entry in "${widths[@]}"; do
  label=${entry%%:*}
  settings=${entry#*:}
  # shellcheck disable=SC2086 # the settings are words by design
  env $settings DOTNET_TieredCompilation=0 DOTNET_JitDisasm='MicroKernel WideMicroKernel DotTile*' \
    DOTNET_JitStdOutFile="$listings/$label.asm" dotnet "$program" >/dev/null
  python3 benchmarks/jit/check-spills.py "$listings/$label.asm" --label "$label" || { code=$?; [ "$code" -gt "$status" ] && status=$code; }
done
exit "$status"
