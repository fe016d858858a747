#!/usr/bin/env python3
"""Module-file part of the real-kernel differential test (see differential.sh).

1. For a deterministic sample of the package's modules, as .ko and as .ko.xz /
   .ko.zst copies made with xz/zstd, compares what bindrace reads
   (`match --show-module-info`) with `modinfo -F alias|depends|softdep|name|vermagic`,
   and the `pci:`/`vfio_pci:` aliases bindrace derives from the
   __mod_pci__*_device_table arrays with the ones modpost wrote into .modinfo.
2. Moves a few modules to extra/ in a hard-linked copy of the tree, runs depmod
   there, and compares `modprobe -R` in that tree with
   `bindrace match --kmod-dir TREE-WITHOUT-THEM --module-file M.ko` for
   modaliases built from their id tables (order included).
3. Corrupt and truncated files give one line naming the file and exit 2.
"""
import argparse, json, os, shutil, subprocess, sys

passed = failed = shown = 0


def check(label, want, got):
    global passed, failed, shown
    if want == got:
        passed += 1
        return
    failed += 1
    if shown < 20:
        shown += 1
        print(f"DIFFER {label}\n  want:     {want!r}\n  bindrace: {got!r}")


def modinfo(path, field):
    p = subprocess.run(["modinfo", "-F", field, path], capture_output=True, text=True)
    return [l for l in p.stdout.split("\n") if l != ""] if p.returncode == 0 else None


def show_info(binary, files):
    out = []
    for i in range(0, len(files), 200):
        args = [binary, "match", "--show-module-info"]
        for f in files[i:i + 200]:
            args += ["--module-file", f]
        p = subprocess.run(args, capture_output=True, text=True)
        if p.returncode != 0:
            print(f"bindrace failed ({p.returncode}):\n{p.stderr}", file=sys.stderr)
            sys.exit(2)
        out += [json.loads(l) for l in p.stdout.splitlines()]
    return out


def sample(kmod_dir, count):
    with open(os.path.join(kmod_dir, "modules.dep")) as f:
        paths = sorted(l.split(":")[0] for l in f if ":" in l)
    step = max(1, len(paths) // count)
    chosen = paths[::step][:count]
    # Modules whose tables matter here: override_only entries, class masks,
    # driver_data pointers, softdeps, many entries.
    for name in ("vfio-pci.ko", "e1000.ko", "e1000e.ko", "nvme.ko", "ahci.ko", "xhci-pci.ko", "r8169.ko",
                 "snd-hda-intel.ko", "ohci-pci.ko", "nouveau.ko", "mlx5_core.ko", "i915.ko", "virtio_pci.ko"):
        chosen += [p for p in paths if p.endswith("/" + name) and p not in chosen]
    return chosen


def compressed_copies(kmod_dir, rels, work):
    """Each sampled module as .ko, .ko.xz and .ko.zst (made once, cached)."""
    base = os.path.join(work, "ko")
    files = []
    for i, rel in enumerate(rels):
        src = os.path.join(kmod_dir, rel)
        files.append(src)
        kind = ("xz", "zst")[i % 2]
        dst = os.path.join(base, rel) + "." + kind
        if not os.path.exists(dst):
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            cmd = ["xz", "--check=crc32", "-T1", "-3", "-c", src] if kind == "xz" else ["zstd", "-q", "-T1", "-c", src]
            with open(dst + ".tmp", "wb") as out:
                subprocess.run(cmd, stdout=out, check=True)
            os.rename(dst + ".tmp", dst)
        files.append(dst)
    return files


def compare_modinfo(binary, files):
    infos = show_info(binary, files)
    check("module files read", len(files), len(infos))
    tables = entries = relocated = override_only = 0
    for path, info in zip(files, infos):
        check(f"path {path}", path, info["path"])
        for field, key in (("alias", "alias"), ("softdep", "softdep")):
            check(f"{field} {path}", modinfo(path, field), info[key])
        check(f"depends {path}", modinfo(path, "depends"), [",".join(info["depends"])] if info["depends"] else [])
        check(f"name {path}", modinfo(path, "name"), [info["name"]] if modinfo(path, "name") else [])
        check(f"vermagic {path}", modinfo(path, "vermagic"), [info["vermagic"]] if info["vermagic"] else [])
        # modpost writes the aliases of the table; .modinfo holds them in
        # reverse order (the compiler emits the .mod.c strings last first).
        derived = [a for t in info["pciTables"] for a in t["modpostAliases"]]
        written = [a for a in info["alias"] if a.startswith(("pci:", "vfio_pci:"))]
        check(f"pci table aliases {path}", sorted(written), sorted(derived))
        tables += len(info["pciTables"])
        entries += sum(t["entries"] for t in info["pciTables"])
        relocated += sum(t["relocatedDriverData"] for t in info["pciTables"])
        override_only += sum(t["overrideOnly"] for t in info["pciTables"])
    print(f"module files: {len(files)} files, {tables} PCI id tables, {entries} entries "
          f"({relocated} with a relocated driver_data pointer, {override_only} override_only)")
    return infos


def modalias_for(entry_alias):
    """A concrete modalias an id-table alias matches: wildcards filled with 0."""
    import re
    prefix, rest = entry_alias.split(":", 1)
    out = prefix + ":"
    for tag, width in (("v", 8), ("d", 8), ("sv", 8), ("sd", 8), ("bc", 2), ("sc", 2), ("i", 2)):
        m = re.match(re.escape(tag) + r"(\*|[0-9A-F]{%d})" % width, rest)
        if not m:
            return None
        out += tag + ("0" * width if m.group(1) == "*" else m.group(1))
        rest = rest[m.end():]
    return out


def extra_case(binary, root, release, infos, work):
    """Modules moved to extra/ (depmod run) against --module-file on a tree without them."""
    moved = [i for i in infos if i["path"].endswith(("/e1000.ko", "/nvme.ko", "/vfio-pci.ko"))]
    src = os.path.join(root, "lib/modules", release)
    trees = {}
    for label in ("with", "without"):
        t = os.path.join(work, f"extra-{label}")
        if not os.path.exists(os.path.join(t, "lib/modules", release, "modules.alias")):
            shutil.rmtree(t, ignore_errors=True)
            mdir = os.path.join(t, "lib/modules", release)
            os.makedirs(os.path.dirname(mdir), exist_ok=True)
            subprocess.run(["cp", "-al", src, mdir], check=True)
            for name in os.listdir(mdir):
                if name.startswith("modules.") and not name.startswith(("modules.order", "modules.builtin")):
                    os.unlink(os.path.join(mdir, name))
            for i in moved:
                rel = os.path.relpath(i["path"], src)
                os.unlink(os.path.join(mdir, rel))
                if label == "with":
                    os.makedirs(os.path.join(mdir, "extra"), exist_ok=True)
                    os.link(i["path"], os.path.join(mdir, "extra", os.path.basename(rel)))
            subprocess.run(["depmod", "-b", t, release], check=True)
        trees[label] = t
    queries = []
    for i in moved:
        for t in i["pciTables"]:
            for a in t["modpostAliases"][:40]:
                m = modalias_for(a)
                if m and m not in queries:
                    queries.append(m)
    qfile = os.path.join(work, "extra-queries.txt")
    with open(qfile, "w") as f:
        f.write("\n".join(queries) + "\n")
    args = [binary, "match", "--kmod-dir", os.path.join(trees["without"], "lib/modules", release),
            "--modalias-file", qfile, "--format", "tsv", "--keep-duplicates"]
    for i in moved:
        args += ["--module-file", i["path"]]
    p = subprocess.run(args, capture_output=True, text=True)
    check("extra/ case exit status", 0, p.returncode)
    got = p.stdout.splitlines()
    empty = os.path.join(work, "empty-config")
    for q, g in zip(queries, got):
        want = subprocess.run(["modprobe", "-d", trees["with"], "-S", release, "-C", empty, "-R", q],
                              capture_output=True, text=True).stdout.split()
        check(f"extra/ -R {q}", q + "\t" + ",".join(want), g)
    print(f"module files: {len(queries)} modaliases resolved with --module-file against depmod's extra/")


def corrupt_case(binary, files, work):
    ko = next(f for f in files if f.endswith("/e1000.ko"))
    xz = next((f for f in files if f.endswith(".ko.xz")), None)
    zst = next((f for f in files if f.endswith(".ko.zst")), None)
    d = os.path.join(work, "corrupt")
    os.makedirs(d, exist_ok=True)
    cases = []
    for src in (ko, xz, zst):
        data = open(src, "rb").read()
        name = os.path.basename(src)
        for label, blob in (("trunc", data[: len(data) // 3]), ("flip", data[:200] + bytes([data[200] ^ 0xFF]) + data[201:]),
                            ("tiny", data[:7])):
            path = os.path.join(d, f"{label}-{name}")
            with open(path, "wb") as f:
                f.write(blob)
            cases.append(path)
    for path in cases:
        p = subprocess.run([binary, "match", "--show-module-info", "--module-file", path], capture_output=True, text=True)
        lines = p.stderr.strip().split("\n")
        ok = p.returncode in (0, 2) and (p.returncode == 0 or (len(lines) == 1 and lines[0].startswith(f"bindrace: {path}: ")))
        check(f"corrupt {path} (exit {p.returncode}, stderr {p.stderr.strip()!r})", True, ok)
    print(f"module files: {len(cases)} corrupt or truncated files")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bindrace", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--release", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--count", type=int, default=300)
    a = ap.parse_args()
    kmod_dir = os.path.join(a.root, "lib/modules", a.release)
    os.makedirs(os.path.join(a.work, "empty-config"), exist_ok=True)
    rels = sample(kmod_dir, a.count)
    files = compressed_copies(kmod_dir, rels, a.work)
    infos = compare_modinfo(a.bindrace, files)
    extra_case(a.bindrace, a.root, a.release, [i for i in infos if not i["path"].endswith((".xz", ".zst"))], a.work)
    corrupt_case(a.bindrace, files, a.work)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
