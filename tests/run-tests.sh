#!/usr/bin/env bash
# Runs every test of the solution on a fresh Debian machine with the .NET 10 SDK:
# installs Box2D (needed by the LunarLander tests) and Redis (the Orleans clustering tests start their own on a free
# loopback port) when they are missing, restores, builds and tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f /usr/include/box2d/box2d.h ]; then
  echo "Installing Box2D 2.4 (libbox2d-dev) for the LunarLander environment..."
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libbox2d-dev g++ >/dev/null
fi

if ! command -v redis-server >/dev/null; then
  echo "Installing Redis (redis-server) for the Orleans clustering tests..."
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq redis-server >/dev/null
fi

dotnet test Ppo.sln -c Release "$@"
