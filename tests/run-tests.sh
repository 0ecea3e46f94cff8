#!/usr/bin/env bash
# Runs every test of the solution on a fresh Debian machine with the .NET 10 SDK: installs what the tests need when it
# is missing (Box2D for the LunarLander tests, the DejaVu fonts for the chart tests, Redis for the Orleans clustering
# tests, which start their own server on a free loopback port), restores, builds and tests.
# The TorchSharp engine's tests run last through tests/torchsharp/run-tests.sh: natively where the C++ runtime is new
# enough for libtorch, else inside a cached Debian 13 root.
set -euo pipefail
cd "$(dirname "$0")/.."

# Box2D 2.4 for the LunarLander environment; DejaVu Sans, the font Ppo.Plotting sets its charts in (SkiaSharp's
# Linux build without dependencies finds no system font, so the charts read the font from these files).
packages=()
if [ ! -f /usr/include/box2d/box2d.h ]; then packages+=(libbox2d-dev g++); fi
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then packages+=(fonts-dejavu-core); fi
if ! command -v redis-server >/dev/null; then packages+=(redis-server); fi
if [ ${#packages[@]} -gt 0 ]; then
  echo "Installing ${packages[*]}..."
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${packages[@]}" >/dev/null
fi

status=0
dotnet test Ppo.sln -c Release -p:SkipTorchSharpTests=true "$@" || status=$?
bash tests/torchsharp/run-tests.sh "$@" || status=$?
exit "$status"
