#!/usr/bin/env bash
# Runs a command (default: a shell) inside a minimal Debian 13 root, in this repository's folder, with the host's .NET
# SDK, NuGet packages and this repository bind-mounted at their own paths; or, with --check, only tells (exit status)
# whether this system's C++ runtime is new enough for TorchSharp's native library, so that no root is needed.
#
# TorchSharp 0.107's libLibTorchSharp.so needs the GCC 13 C++ runtime, GLIBCXX_3.4.32: Ubuntu 24.04, Debian 13 and
# current Fedora have it. Debian 12 stops at GLIBCXX_3.4.30, and Debian 13's libstdc++ needs a newer glibc, so it cannot
# be installed beside it. The root is built once with debootstrap from the host's own apt mirror (or PPO_DEBIAN_MIRROR)
# into PPO_DEBIAN13_ROOT (default /var/cache/ppo-debian13, about 200 MB), with the packages of root_packages below; a
# root cached before a package joined the list gets it installed by apt inside the root, without a rebuild. The mounts
# live in a private mount namespace and are unmounted when the command ends, whether it succeeds or fails.
set -euo pipefail
repository=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repository"

# Succeeds when the libstdc++ the dynamic loader picks provides GLIBCXX_3.4.32.
cxx_runtime_is_new_enough() {
  local listing library
  listing=$(ldconfig -p 2>/dev/null || true)
  library=$(awk '/libstdc\+\+\.so\.6 / { print $NF }' <<<"$listing" | grep -m1 . || true)
  [ -n "$library" ] && grep -qa 'GLIBCXX_3\.4\.32' "$library"
}

# The first Debian archive in the host's apt sources (one-line and deb822 formats), security archives excluded.
host_debian_mirror() {
  {
    [ -f /etc/apt/sources.list ] && awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { if ($(i + 1) !~ /security/) print $i; break } }' /etc/apt/sources.list
    for file in /etc/apt/sources.list.d/*.list; do
      [ -f "$file" ] && awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { if ($(i + 1) !~ /security/) print $i; break } }' "$file"
    done
    for file in /etc/apt/sources.list.d/*.sources; do
      [ -f "$file" ] && awk '
        function flush() { if (types ~ /(^| )deb( |$)/ && suites !~ /security/) { split(uris, u, " "); if (u[1] != "") print u[1] } types = uris = suites = "" }
        /^[[:space:]]*$/ { flush(); next }
        /^Types:/ { sub(/^Types:[[:space:]]*/, ""); types = $0 }
        /^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); uris = $0 }
        /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
        END { flush() }' "$file"
    done
  } | grep -m1 -E '/debian/?$' || true
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# What the root holds besides minbase: Box2D for LunarLander's native shim, and DejaVu Sans for the charts the samples draw.
root_packages=(libbox2d2 fonts-dejavu-core)

# Prints the packages of root_packages that the root at $1 has not installed.
missing_root_packages() {
  local root=$1 package
  for package in "${root_packages[@]}"; do
    awk -v wanted="$package" '
      /^Package: / { name = $2 }
      /^Status: / { if (name == wanted && $0 ~ / installed$/) found = 1 }
      END { exit found ? 0 : 1 }' "$root/var/lib/dpkg/status" || echo "$package"
  done
}

# Installs packages into the root with its own apt, in a private mount namespace (its /proc and /dev, the host's DNS).
install_into_root() {
  local root=$1
  shift
  echo "Installing $* into the Debian 13 root $root..."
  as_root cp /etc/resolv.conf "$root/etc/resolv.conf"
  as_root unshare --mount --propagation private /bin/bash -c '
    set -e
    root=$1
    shift
    mount -t proc proc "$root/proc"
    mount --bind /dev "$root/dev"
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive apt-get update -qq
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin apt-get clean' install-into-root "$root" "$@" >"/tmp/ppo-debian13-apt.log" 2>&1 || {
    echo "Installing $* into the root failed; the last lines of /tmp/ppo-debian13-apt.log:" >&2
    tail -20 /tmp/ppo-debian13-apt.log >&2
    exit 1
  }
}

# Creates the Debian 13 root once; concurrent runs wait for the first one, and an interrupted build leaves nothing behind.
ensure_root() {
  local root=$1 missing
  [ -f "$root/.ppo-ready" ] && [ -z "$(missing_root_packages "$root")" ] && return 0
  as_root mkdir -p "$(dirname "$root")"
  exec 9>"$root.lock" 2>/dev/null || exec 9>"/tmp/ppo-debian13.lock"
  flock 9
  if [ -f "$root/.ppo-ready" ]; then
    missing=$(missing_root_packages "$root")
    # shellcheck disable=SC2086 # one package name a word
    [ -z "$missing" ] || install_into_root "$root" $missing
  else
    local mirror=${PPO_DEBIAN_MIRROR:-$(host_debian_mirror)}
    if [ -z "$mirror" ]; then
      echo "No Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d; set PPO_DEBIAN_MIRROR to one." >&2
      exit 1
    fi
    if ! command -v debootstrap >/dev/null; then
      echo "Installing debootstrap to build the Debian 13 root for the TorchSharp tests..."
      as_root apt-get update -qq
      DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq debootstrap >/dev/null
    fi
    echo "Building a minimal Debian 13 root in $root (once; about 200 MB) from $mirror..."
    as_root rm -rf "$root.partial"
    as_root debootstrap --variant=minbase --include="$(IFS=,; echo "${root_packages[*]}")" trixie "$root.partial" "$mirror" >"/tmp/ppo-debootstrap.log" 2>&1 || {
      echo "debootstrap failed; the last lines of /tmp/ppo-debootstrap.log:" >&2
      tail -20 /tmp/ppo-debootstrap.log >&2
      exit 1
    }
    as_root touch "$root.partial/.ppo-ready"
    as_root rm -rf "$root"
    as_root mv "$root.partial" "$root"
  fi
  flock -u 9
}

# Runs inside a private mount namespace (so nothing leaks to the host even if this shell is killed), and unmounts on exit.
run_in_root() {
  local root=$1 sdk=$2 packages=$3
  shift 3
  mounted=()
  unmount_all() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  }
  trap unmount_all EXIT
  bind() {
    mkdir -p "$root$2"
    mount --bind "$1" "$root$2"
    mounted+=("$root$2")
  }
  mount -t proc proc "$root/proc"
  mounted+=("$root/proc")
  bind /dev /dev
  bind "$sdk" "$sdk"
  bind "$packages" "$packages"
  bind "$repository" "$repository"
  chroot "$root" /usr/bin/env -i HOME=/root PATH="$sdk:/usr/local/bin:/usr/bin:/bin" TERM="${TERM:-dumb}" \
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
    NUGET_PACKAGES="$packages" \
    /bin/bash -c 'cd "$0" && exec "$@"' "$repository" "$@"
}

case "${1:-}" in
  --check)
    cxx_runtime_is_new_enough
    exit $?
    ;;
  --inside-namespace)
    shift
    run_in_root "$@"
    exit $?
    ;;
esac

[ $# -gt 0 ] || set -- /bin/bash
root=${PPO_DEBIAN13_ROOT:-/var/cache/ppo-debian13}
ensure_root "$root"
sdk=$(dirname "$(readlink -f "$(command -v dotnet)")")
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
as_root unshare --mount --propagation private "$repository/tests/torchsharp/in-debian13-root.sh" --inside-namespace "$root" "$sdk" "$packages" "$@"
