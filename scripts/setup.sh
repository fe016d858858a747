#!/usr/bin/env bash
# Installs what building and testing bindrace needs on Debian 12, once.
# Idempotent: packages already present are not fetched again.
set -euo pipefail

packages=(
  libbpf-dev libelf-dev libzstd-dev liblzma-dev zlib1g-dev pkg-config  # capture, .ko reading
  kmod pci.ids xz-utils zstd python3                                   # reference modprobe, id lists, module files
  bsdutils                                                             # script(1): a terminal for the progress bar tests
  qemu-user                                                            # older and x86-64-v2 CPUs for the build-level check
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift (6.1 or later) is not on PATH" >&2; exit 2; }
