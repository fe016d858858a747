#!/usr/bin/env python3
"""Drives the real-kernel differential test (see differential.sh).

Builds a deterministic modalias list from pci.ids, asks modprobe and bindrace,
and compares: `modprobe -R` (duplicates and all) against `--keep-duplicates`,
the same with repeats removed against the default tsv, and modprobe.d cases
for -R, --show-depends and -c against `modprobe -C DIR`.
"""
import argparse, os, re, shutil, subprocess, sys

CLASSES = ["010802", "020000", "030000", "030200", "040300", "0c0330", "0c0320",
           "0c0310", "0c0300", "060400", "010601", "028000", "0c0500", "088000",
           "010000", "0d1100", "120000", "0c8000", "078000", "050000"]

passed = 0
failed = 0
shown = 0


def check(label, want, got):
    global passed, failed, shown
    if want == got:
        passed += 1
        return
    failed += 1
    if shown < 20:
        shown += 1
        print(f"DIFFER {label}\n  modprobe: {want!r}\n  bindrace: {got!r}")


def pci_ids_devices(path):
    """(vendor, device, [(subvendor, subdevice)]) in file order."""
    devices, vendor = [], None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("C "):
                break  # the class list follows the vendors
            if not line.strip() or line.startswith("#"):
                continue
            m = re.match(r"^([0-9a-f]{4})\s", line)
            if m:
                vendor = m.group(1)
                continue
            m = re.match(r"^\t([0-9a-f]{4})\s", line)
            if m and vendor:
                devices.append([vendor, m.group(1), []])
                continue
            m = re.match(r"^\t\t([0-9a-f]{4}) ([0-9a-f]{4})\s", line)
            if m and devices:
                devices[-1][2].append((m.group(1), m.group(2)))
    return devices


def modalias(v, d, sv, sd, cls, prefix="pci"):
    return f"{prefix}:v0000{v.upper()}d0000{d.upper()}sv0000{sv.upper()}sd0000{sd.upper()}bc{cls[0:2].upper()}sc{cls[2:4].upper()}i{cls[4:6].upper()}"


def build_modaliases(pci_ids, alias_file):
    known = set()
    with open(alias_file) as f:
        for line in f:
            m = re.match(r"^alias (?:vfio_)?pci:v0000([0-9A-F]{4})d0000([0-9A-F]{4})", line)
            if m:
                known.add((m.group(1).lower(), m.group(2).lower()))
    result = []
    for i, (v, d, subs) in enumerate(pci_ids_devices(pci_ids)):
        interesting = (v, d) in known
        if not interesting and i % 12 != 0:
            continue
        cls = CLASSES[i % len(CLASSES)]
        sv, sd = subs[0] if subs else ("0000", "0000")
        result.append(modalias(v, d, sv, sd, cls))
        if interesting:
            # A second class and the device's own ids as subsystem.
            result.append(modalias(v, d, v, d, CLASSES[(i * 7 + 3) % len(CLASSES)]))
            for sv2, sd2 in subs[1:3]:
                result.append(modalias(v, d, sv2, sd2, cls))
            result.append(modalias(v, d, sv, sd, cls, prefix="vfio_pci"))
    # Class-only drivers (pcieport-like, xhci, ahci...): sweep classes on an unknown id.
    for bc in range(0, 0x14):
        for sc in (0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x80):
            for pi in (0x00, 0x01, 0x02, 0x10, 0x20, 0x30, 0x40, 0x85, 0xfe):
                result.append(modalias("1234", "5678", "0000", "0000", f"{bc:02x}{sc:02x}{pi:02x}"))
    # Non-PCI and odd inputs.
    result += ["usb:v13FDp3940d0100dc00dsc00dp00ic08isc06ip50in00", "acpi:PNP0A03:", "platform:serial8250",
               "e1000", "e-1000", "symbol:nvme_init_ctrl", "pci:v*", "not-a-modalias", "pci:v00008086d0000100esv00000000sd00000000bc02sc00i00"]
    seen, unique = set(), []
    for m in result:
        if m not in seen:
            seen.add(m)
            unique.append(m)
    return unique


def modprobe(root, release, args):
    p = subprocess.run(["modprobe", "-d", root, "-S", release] + args, capture_output=True, text=True)
    return p.stdout


def bindrace(binary, args, status=0, warnings=None):
    """Runs bindrace match; `status` is the exit status expected and
    `warnings` the number of `bindrace: warning:` lines (both checked)."""
    p = subprocess.run([binary, "match"] + args, capture_output=True, text=True)
    if p.returncode not in (0, 2):
        print(f"bindrace failed ({p.returncode}): {' '.join(args)}\n{p.stderr}", file=sys.stderr)
        sys.exit(2)
    check(f"exit status of {' '.join(args[-3:])}", status, p.returncode)
    if warnings is not None:
        lines = [l for l in p.stderr.splitlines() if l]
        check(f"warnings of {' '.join(args[-3:])}", [True] * warnings, [l.startswith("bindrace: warning: ") for l in lines])
    return p.stdout


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def config_case(work):
    """Two modprobe.d directories exercising precedence, shadowing, -/_ and continuations."""
    base = os.path.join(work, "config")
    shutil.rmtree(base, ignore_errors=True)
    etc, lib = os.path.join(base, "etc"), os.path.join(base, "lib")
    write(os.path.join(etc, "10-vfio.conf"),
          "# vfio first\n"
          "options vfio-pci ids=8086:100e,10de:1b80\n"
          "softdep e1000 pre: vfio-pci\n"
          "softdep nouveau pre: vfio_pci post: snd-hda-intel\n"
          "blacklist nouveau\n"
          "alias pci:v00001AF4d00001041* vfio-pci\n"
          "install pcspkr /bin/false\n")
    write(os.path.join(lib, "10-vfio.conf"), "alias pci:v00008086* shadowed_module\n")
    write(os.path.join(lib, "20-more.conf"),
          "alias my-alias e1000e\n"
          "options e1000 debug=1 \\\n   copybreak=2\n"
          "options\tnvme\tpoll_queues=2\n"
          "remove nvme /bin/true\n"
          "softdep ahci pre: libahci post: sd_mod\n"
          "blacklist snd_hda_intel\n")
    write(os.path.join(lib, "zz-late.conf"), "softdep e1000e pre: crc32c_generic\noptions e1000e  IntMode=1\n")
    # Lines kmod skips with a message: bindrace warns (one line each), keeps
    # the rest of the file and exits 2. weakdep (kmod 33) is kept, not rejected.
    write(os.path.join(lib, "30-bad.conf"),
          "frobnicate e1000\n"
          "options e1000\n"
          "include /etc/other.conf\n"
          "blacklist\n"
          "weakdep e1000e crc32c\n"
          "blacklist pcspkr\n"
          "alias my-second-alias nvme\n")
    write(os.path.join(lib, ".hidden.conf"), "alias hidden e1000\n")
    write(os.path.join(lib, "notconf.txt"), "alias nottext e1000\n")
    return [etc, lib]


BAD_LINES = 4

# Kernel command lines for kmod's own reading of /proc/cmdline: quotes around
# the word or the value, spoiled words, whitespace other than spaces, `--`.
CMDLINES = [
    'quiet "vfio-pci.ids=10de:1b80,10de:10f0" e1000.x="a b" foo."bar=1" modprobe.blacklist=nouveau,snd-hda a.b.c=1 "modprobe.blacklist=q" -- init.arg=1',
    'a=b.c=d .foo=1 m.p "m2.p2" "m3.p3=v w" x.y="unterminated',
    '"modprobe.blacklist=a,b" modprobe.blacklist t\tab.c=1 "a b.c=1" d.e=f"g"h i.j=k"l m" n.o',
    'x"y.z=1 q.r=1 "s.t="u" v.w=1',
    'a.b=1\rc.d=2\ve.f="x\ty" g-h.i_j=3\fk.l=4\nm.n=5',
    'vfio_pci.ids=8086:100e vfio-pci.disable_vga=1 modprobe.blacklist=e1000e,nouveau pci-stub.ids=1af4:1041 "e1000.debug=1"',
]


def cmdline_cases(a, kmod_dir, empty):
    """kmod reads /proc/cmdline itself: bind-mount each line over it in a
    private mount namespace and compare `modprobe -c` with --show-config."""
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        print("differential: command-line cases skipped (unshare -m not permitted)")
        return
    path = os.path.join(a.work, "cmdline.txt")
    for line in CMDLINES:
        write(path, line + "\n")
        p = subprocess.run(["unshare", "-m", "sh", "-c", 'mount --bind "$1" /proc/cmdline && shift && exec "$@"', "sh", path,
                            "modprobe", "-d", a.root, "-S", a.release, "-C", empty, "-c"], capture_output=True, text=True)
        want = p.stdout.split("\n# End of configuration files")[0].rstrip("\n")
        unterminated = line.count('"') % 2
        got = bindrace(a.bindrace, ["--kmod-dir", kmod_dir, "--config", empty, "--cmdline-file", path, "--show-config"],
                       status=2 if unterminated else 0, warnings=unterminated).rstrip("\n")
        check(f"cmdline -c {line!r}", want, got)
    print(f"differential: {len(CMDLINES)} kernel command lines through kmod's own /proc/cmdline reading")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bindrace", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--release", required=True)
    ap.add_argument("--pci-ids", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    kmod_dir = os.path.join(a.root, "lib/modules", a.release)
    empty = os.path.join(a.work, "empty-config")
    os.makedirs(empty, exist_ok=True)

    # 1. modules.alias resolution, no configuration (-C EMPTY keeps the host's
    #    modprobe.d out; kmod still reads /proc/cmdline, which holds no aliases).
    aliases = build_modaliases(a.pci_ids, os.path.join(kmod_dir, "modules.alias"))
    listing = os.path.join(a.work, "modaliases.txt")
    write(listing, "\n".join(aliases) + "\n")
    print(f"differential: {len(aliases)} modaliases")
    plain = bindrace(a.bindrace, ["--kmod-dir", kmod_dir, "--modalias-file", listing, "--format", "tsv"]).splitlines()
    dups = bindrace(a.bindrace, ["--kmod-dir", kmod_dir, "--modalias-file", listing, "--format", "tsv", "--keep-duplicates"]).splitlines()
    if len(plain) != len(aliases) or len(dups) != len(aliases):
        print(f"bindrace printed {len(plain)}/{len(dups)} lines for {len(aliases)} inputs")
        sys.exit(1)
    matched = with_dups = 0
    for m, line_plain, line_dups in zip(aliases, plain, dups):
        want = modprobe(a.root, a.release, ["-C", empty, "-R", m]).split()
        deduped = list(dict.fromkeys(want))
        matched += bool(want)
        with_dups += len(deduped) != len(want)
        check(f"-R {m}", m + "\t" + ",".join(want), line_dups)
        check(f"-R (repeats removed) {m}", m + "\t" + ",".join(deduped), line_plain)
    print(f"differential: {matched} modaliases resolve to a module, {with_dups} with repeats in modprobe -R")

    # 2. modprobe.d: -c, -R and --show-depends against modprobe -C DIR -C DIR.
    dirs = config_case(a.work)
    cfg_modprobe, cfg_bindrace = [], []
    for d in dirs:
        cfg_modprobe += ["-C", d]
        cfg_bindrace += ["--config", d]
    cmdline = ["--cmdline-file", "/proc/cmdline"] if os.path.exists("/proc/cmdline") else []
    want = modprobe(a.root, a.release, cfg_modprobe + ["-c"]).split("\n# End of configuration files")[0]
    got = bindrace(a.bindrace, ["--kmod-dir", kmod_dir] + cfg_bindrace + cmdline + ["--show-config"], status=2, warnings=BAD_LINES)
    want_lines, got_lines = want.rstrip("\n").split("\n"), got.rstrip("\n").split("\n")
    check("-c line count", len(want_lines), len(got_lines))
    for i, (w, g) in enumerate(zip(want_lines, got_lines)):
        check(f"-c line {i + 1}", w, g)
    queries = [
        modalias("8086", "100e", "8086", "001e", "020000"), modalias("10de", "1b80", "10de", "119e", "030000"),
        modalias("1af4", "1041", "1af4", "1100", "020000"), modalias("1d97", "2263", "1d97", "2263", "010802"),
        modalias("8086", "2922", "8086", "2922", "010601"), modalias("8086", "293e", "1af4", "1100", "040300"),
        modalias("8086", "10d3", "8086", "0000", "020000"), modalias("1234", "1111", "1af4", "1100", "030000"),
        "my-alias", "my_alias", "my-second-alias", "nvme", "pcspkr", "e1000", "ext4", "nouveau", "vfio-pci", "snd-hda-intel", "btrfs", "cifs",
    ]
    qfile = os.path.join(a.work, "queries.txt")
    write(qfile, "\n".join(queries) + "\n")
    got_r = bindrace(a.bindrace, ["--kmod-dir", kmod_dir] + cfg_bindrace + cmdline + ["--modalias-file", qfile, "--format", "tsv", "--keep-duplicates"], status=2, warnings=BAD_LINES).splitlines()
    for q, g in zip(queries, got_r):
        want = modprobe(a.root, a.release, cfg_modprobe + ["-R", q]).split()
        check(f"-C -R {q}", q + "\t" + ",".join(want), g)
        want_d = modprobe(a.root, a.release, cfg_modprobe + ["--show-depends", q])
        got_d = bindrace(a.bindrace, ["--kmod-dir", kmod_dir] + cfg_bindrace + cmdline + ["--modalias", q, "--show-depends"], status=2)
        check(f"--show-depends {q}", want_d, got_d)

    cmdline_cases(a, kmod_dir, empty)

    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
