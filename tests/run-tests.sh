#!/usr/bin/env bash
# Runs every test of the solution on a fresh Debian machine with the .NET 10 SDK:
# installs Box2D (needed by the LunarLander tests) when it is missing, restores, builds and tests. The TorchSharp engine's
# tests run last through tests/torchsharp/run-tests.sh: natively where the C++ runtime is new enough for libtorch, else
# inside a cached Debian 13 root.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f /usr/include/box2d/box2d.h ]; then
  echo "Installing Box2D 2.4 (libbox2d-dev) for the LunarLander environment..."
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libbox2d-dev g++ >/dev/null
fi

status=0
dotnet test Ppo.sln -c Release -p:SkipTorchSharpTests=true "$@" || status=$?
bash tests/torchsharp/run-tests.sh "$@" || status=$?
exit "$status"
