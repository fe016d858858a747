# Shared by run-scenario and run-all: the pinned kernel, the cache, the
# capture binary. Sourced, not run.

VM_DIR=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$VM_DIR/../.." && pwd)
CACHE=${BINDRACE_VM_CACHE:-$REPO/.cache/vm}

# The guest kernel: Debian 12's 6.1 kernel, pinned so every run boots the same
# one. If the archive has dropped it, the highest 6.1.0-N-amd64 is used (and
# named in the output) so the stage still runs.
KERNEL_PACKAGE_PIN=${BINDRACE_VM_KERNEL:-linux-image-6.1.0-56-amd64}

log() { printf '[vm] %s\n' "$*" >&2; }
die() { printf '[vm] error: %s\n' "$*" >&2; exit 2; }

need_packages() {
    missing=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        log "installing:$missing"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >&2 ||
            { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >&2; } ||
            die "cannot install$missing"
    fi
}

# Chooses the kernel package deterministically and extracts it once.
# Sets KVER and KROOT (the extracted tree, with depmod run).
prepare_kernel() {
    mkdir -p "$CACHE"
    pkg=$KERNEL_PACKAGE_PIN
    if ! apt-cache show "$pkg" >/dev/null 2>&1; then
        pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' | awk '{print $1}' | sort -V | tail -n 1)
        [ -n "$pkg" ] || die "no linux-image-6.1.0-*-amd64 package in the archive"
        log "pinned $KERNEL_PACKAGE_PIN is gone; using $pkg"
    fi
    KVER=${pkg#linux-image-}
    KROOT=$CACHE/kernel-$KVER
    if [ ! -f "$KROOT/.done" ]; then
        rm -rf "$KROOT" && mkdir -p "$KROOT/deb"
        (cd "$KROOT/deb" && apt-get download "$pkg" >&2) || die "apt-get download $pkg failed"
        dpkg-deb -x "$KROOT"/deb/*.deb "$KROOT/root"
        depmod -b "$KROOT/root" "$KVER"
        touch "$KROOT/.done"
    fi
    [ -f "$KROOT/root/boot/vmlinuz-$KVER" ] || die "no kernel image in $KROOT"
}

# The release capture binary: static Swift runtime, built once per source state.
prepare_binary() {
    if [ -n "${BINDRACE_BIN:-}" ]; then
        BIN=$BINDRACE_BIN
    else
        log "building the release binary (swift build -c release --static-swift-stdlib)"
        (cd "$REPO" && swift build -c release --static-swift-stdlib --scratch-path .build-release --product bindrace >&2) ||
            die "release build failed"
        BIN=$REPO/.build-release/release/bindrace
    fi
    [ -x "$BIN" ] || die "no capture binary at $BIN"
}

# Copies an executable and the libraries ldd lists into a root.
install_with_libs() {
    root=$1; shift
    for exe in "$@"; do
        mkdir -p "$root$(dirname "$exe")"
        cp -L "$exe" "$root$exe"
        ldd "$exe" 2>/dev/null | awk '/=>/ {print $3} /^\t\/lib/ {print $1}' | while read -r lib; do
            [ -n "$lib" ] && [ -f "$lib" ] || continue
            mkdir -p "$root$(dirname "$lib")"
            [ -f "$root$lib" ] || cp -L "$lib" "$root$lib"
        done
    done
}
