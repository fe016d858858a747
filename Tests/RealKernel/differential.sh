#!/bin/sh
# Real-kernel differential test: bindrace's module resolution against kmod's
# own modprobe on a real Debian 12 kernel package.
#
#   Tests/RealKernel/differential.sh
#
# Environment:
#   BINDRACE_KERNEL_CACHE   download/extract cache (default: .cache/kernel in the repo, gitignored)
#   BINDRACE_KERNEL_PACKAGE pin a package (default: the highest linux-image-6.1.0-N-amd64 apt offers)
#   BINDRACE                the bindrace binary (default: built with --scratch-path .build-match)
#
# Each part prints "N passed, N failed"; exits non-zero on any disagreement.
# The command-line cases bind-mount files over /proc/cmdline in a private
# mount namespace (unshare -m, needs root); they are skipped otherwise.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${BINDRACE_KERNEL_CACHE:-$repo/.cache/kernel}
mkdir -p "$cache"

# The signed image package: it is what Debian installs, its modules and
# modules.* are what a real system resolves against. -unsigned carries the same
# module set without signatures and -dbg only debug symbols.
newest_kernel_package() {
    apt-cache pkgnames linux-image-6.1.0- 2>/dev/null \
        | grep -E '^linux-image-6\.1\.0-[0-9]+-amd64$' | sort -V | tail -n 1
}
package=${BINDRACE_KERNEL_PACKAGE:-$(newest_kernel_package)}
if [ -z "$package" ] && [ "$(id -u)" -eq 0 ]; then
    # A fresh machine may not have fetched the package lists yet.
    apt-get update -qq >/dev/null 2>&1 || true
    package=$(newest_kernel_package)
fi
if [ -z "$package" ]; then
    echo "differential: no linux-image-6.1.0-N-amd64 package known to apt (run apt-get update)" >&2
    exit 2
fi
release=${package#linux-image-}
root=$cache/root-$release
if [ ! -f "$root/lib/modules/$release/modules.alias" ]; then
    deb=$(ls "$cache"/"${package}"_*.deb 2>/dev/null | head -n 1 || true)
    if [ -z "$deb" ]; then
        (cd "$cache" && apt-get download "$package" >/dev/null)
        deb=$(ls "$cache"/"${package}"_*.deb | head -n 1)
    fi
    rm -rf "$root.tmp"
    mkdir -p "$root.tmp"
    dpkg-deb -x "$deb" "$root.tmp"
    depmod -b "$root.tmp" "$release"
    mv "$root.tmp" "$root"
fi

bindrace=${BINDRACE:-}
if [ -z "$bindrace" ]; then
    (cd "$repo" && swift build --scratch-path .build-match --product bindrace >/dev/null)
    bindrace=$repo/.build-match/debug/bindrace
fi

echo "differential: $package, modules in $root/lib/modules/$release"
status=0
python3 "$here/differential.py" --bindrace "$bindrace" --root "$root" --release "$release" \
    --pci-ids "${BINDRACE_PCI_IDS:-/usr/share/misc/pci.ids}" --work "$cache/work-$release" || status=1
# Module files (.ko, .ko.xz, .ko.zst) against modinfo, modpost's aliases and
# depmod's extra/ handling.
python3 "$here/modulefiles.py" --bindrace "$bindrace" --root "$root" --release "$release" \
    --work "$cache/work-$release" || status=1
exit $status
