#!/usr/bin/env bash
# Runs the TorchSharp engine's tests (tests/Ppo.TorchSharp.Tests); arguments go to `dotnet test`. They run natively
# where the C++ runtime is new enough for TorchSharp's native library, and otherwise inside the Debian 13 root of
# in-debian13-root.sh (built once, cached). The build itself always runs on the host.
set -euo pipefail
cd "$(dirname "$0")/../.."
project=tests/Ppo.TorchSharp.Tests

dotnet build "$project" -c Release -nologo -v quiet
if bash tests/torchsharp/in-debian13-root.sh --check; then
  exec dotnet test "$project" -c Release --no-build "$@"
fi
echo "This system's C++ runtime is older than TorchSharp needs (GLIBCXX_3.4.32); running the TorchSharp tests in a Debian 13 root."
exec bash tests/torchsharp/in-debian13-root.sh dotnet test "$project" -c Release --no-build "$@"
