import BindraceTrace

/// What bindrace takes from one kernel module file (`.ko`, `.ko.xz`,
/// `.ko.zst`): the `.modinfo` strings, as `modinfo` prints them, and the PCI
/// id tables (`__mod_pci__<table>_device_table`), as modpost reads them to
/// write the module's `pci:`/`vfio_pci:` aliases. Enough to resolve an
/// out-of-tree module that depmod has not indexed yet.
public struct ModuleFile: Sendable, Hashable {
    public enum Compression: String, Sendable, Hashable, Codable { case none, xz, zstd }

    /// One NUL-terminated `key=value` string of `.modinfo`.
    public struct ModinfoEntry: Hashable, Sendable {
        public var key: String
        public var value: String
        /// Offset of the string in the ELF image.
        public var offset: Int
    }

    /// One `struct pci_device_id` of a table, the terminator excluded.
    public struct PCIEntry: Hashable, Sendable {
        public var id: PCIStaticID
        public var driverData: UInt64
        /// driver_data is a pointer into the module (a relocation fills it at
        /// load time; the value above is the addend only).
        public var driverDataRelocated: Bool
        /// The raw override_only word (1 = PCI_ID_F_VFIO_DRIVER_OVERRIDE).
        public var overrideOnlyRaw: UInt32
    }

    public struct PCITable: Hashable, Sendable {
        /// `__mod_pci__<name>_device_table`.
        public var symbol: String
        public var section: String
        /// Offset of the table in the ELF image.
        public var offset: Int
        public var entries: [PCIEntry]

        /// The aliases modpost generates from the entries, in table order
        /// (entries modpost refuses are left out, as it leaves them out).
        public var modpostAliases: [String] { entries.compactMap { $0.id.modpostAlias(overrideOnlyRaw: $0.overrideOnlyRaw) } }
    }

    public var path: String
    public var compression: Compression
    public var modinfo: [ModinfoEntry]
    public var pciTables: [PCITable]

    public init(path: String, compression: Compression, modinfo: [ModinfoEntry], pciTables: [PCITable]) {
        self.path = path
        self.compression = compression
        self.modinfo = modinfo
        self.pciTables = pciTables
    }

    /// Every value of `key`, in `.modinfo` order (what `modinfo -F key` prints).
    public func values(_ key: String) -> [String] { modinfo.filter { $0.key == key }.map(\.value) }

    /// `name=` (modpost writes KBUILD_MODNAME), else the file name; `-`/`_` folded.
    public var name: String {
        if let n = values("name").first, !n.isEmpty { return AliasNormalizer.normalizeModuleName(n) }
        return AliasNormalizer.moduleName(fromPath: path)
    }

    public var aliases: [String] { values("alias") }
    /// `depends=` split on commas (modpost writes one comma-separated entry).
    public var depends: [String] { values("depends").flatMap { $0.split(separator: ",").map(String.init) } }
    public var softdeps: [String] { values("softdep") }
    public var vermagic: String? { values("vermagic").first }

    /// All PCI id table entries, tables in symbol-table order.
    public var pciStaticIDs: [PCIStaticID] { pciTables.flatMap { $0.entries.map(\.id) } }

    /// Parses `.modinfo` contents: NUL-separated strings, padding NULs skipped;
    /// a string without `=` is a key with an empty value.
    public static func parseModinfo(_ bytes: ArraySlice<UInt8>, baseOffset: Int) -> [ModinfoEntry] {
        var result: [ModinfoEntry] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: 0) ?? bytes.endIndex
            if end > start {
                let piece = bytes[start..<end]
                let eq = piece.firstIndex(of: UInt8(ascii: "=")) ?? end
                let key = String(decoding: piece[start..<eq], as: UTF8.self)
                let value = eq < end ? String(decoding: piece[(eq + 1)..<end], as: UTF8.self) : ""
                result.append(ModinfoEntry(key: key, value: value, offset: baseOffset + (start - bytes.startIndex)))
            }
            start = end + 1
        }
        return result
    }
}

/// The layout of `struct pci_device_id` in a module's ELF image
/// (include/linux/mod_devicetable.h): six u32 (vendor, device, subvendor,
/// subdevice, class, class_mask), kernel_ulong_t driver_data, and since
/// Linux 5.15 a u32 override_only; padded to the alignment of kernel_ulong_t.
public struct PCIDeviceIDLayout: Hashable, Sendable {
    public var wordSize: Int
    public var littleEndian: Bool
    public var hasOverrideOnly: Bool

    public init(wordSize: Int, littleEndian: Bool, hasOverrideOnly: Bool) {
        self.wordSize = wordSize
        self.littleEndian = littleEndian
        self.hasOverrideOnly = hasOverrideOnly
    }

    public var driverDataOffset: Int { 24 }
    public var overrideOnlyOffset: Int { 24 + wordSize }
    public var alignment: Int { wordSize }
    public var entrySize: Int {
        let raw = overrideOnlyOffset + (hasOverrideOnly ? 4 : 0)
        return (raw + alignment - 1) / alignment * alignment
    }

    /// override_only exists from Linux 5.15 on; the version is the first word
    /// of `vermagic=` (absent: assume a current kernel).
    public static func hasOverrideOnly(vermagic: String?) -> Bool {
        guard let release = vermagic?.split(separator: " ").first else { return true }
        let numbers = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard numbers.count == 2 else { return true }
        return numbers[0] > 5 || (numbers[0] == 5 && numbers[1] >= 15)
    }

    func word32(_ b: ArraySlice<UInt8>, _ at: Int) -> UInt32 {
        let i = b.startIndex + at
        let bytes = [b[i], b[i + 1], b[i + 2], b[i + 3]]
        return littleEndian
            ? UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
            : UInt32(bytes[3]) | UInt32(bytes[2]) << 8 | UInt32(bytes[1]) << 16 | UInt32(bytes[0]) << 24
    }

    func word(_ b: ArraySlice<UInt8>, _ at: Int) -> UInt64 {
        if wordSize == 4 { return UInt64(word32(b, at)) }
        let lo = UInt64(word32(b, at)), hi = UInt64(word32(b, at + 4))
        return littleEndian ? lo | hi << 32 : hi | lo << 32
    }

    /// Decodes one entry (`bytes.count == entrySize`).
    public func decode(_ bytes: ArraySlice<UInt8>) -> ModuleFile.PCIEntry {
        let overrideOnly = hasOverrideOnly ? word32(bytes, overrideOnlyOffset) : 0
        let id = PCIMatchID(
            vendor: word32(bytes, 0), device: word32(bytes, 4), subvendor: word32(bytes, 8), subdevice: word32(bytes, 12),
            classCode: word32(bytes, 16), classMask: word32(bytes, 20))
        return ModuleFile.PCIEntry(
            id: PCIStaticID(id: id, overrideOnly: overrideOnly != 0), driverData: word(bytes, driverDataOffset),
            driverDataRelocated: false, overrideOnlyRaw: overrideOnly)
    }
}

extension PCIStaticID {
    /// The alias modpost writes for this entry (scripts/mod/file2alias.c,
    /// do_pci_entry): `pci:` or, for override_only entries, `vfio_pci:`;
    /// `v d sv sd` as %08X or `*` for PCI_ANY_ID; `bc sc i` as %02X where the
    /// class mask byte is 0xFF, `*` where it is 0; a final `*` added unless
    /// the alias already ends in one. nil where modpost refuses the entry
    /// (a class mask byte other than 0x00/0xFF, an unknown override_only).
    public func modpostAlias(overrideOnlyRaw: UInt32) -> String? {
        let prefix: String
        switch overrideOnlyRaw {
        case 0: prefix = "pci:"
        case 1: prefix = "vfio_pci:"
        default: return nil
        }
        let masks = [(id.classMask >> 16) & 0xFF, (id.classMask >> 8) & 0xFF, id.classMask & 0xFF]
        if masks.contains(where: { $0 != 0 && $0 != 0xFF }) { return nil }
        func field(_ tag: String, _ value: UInt32) -> String {
            tag + (value == PCIMatchID.any ? "*" : PCIModalias.hex(value, 8))
        }
        let classBytes = [(id.classCode >> 16) & 0xFF, (id.classCode >> 8) & 0xFF, id.classCode & 0xFF]
        var alias = prefix + field("v", id.vendor) + field("d", id.device) + field("sv", id.subvendor) + field("sd", id.subdevice)
        for (tag, (value, mask)) in zip(["bc", "sc", "i"], zip(classBytes, masks)) {
            alias += tag + (mask == 0xFF ? PCIModalias.hex(value, 2) : "*")
        }
        if !alias.hasSuffix("*") { alias += "*" }
        return alias
    }
}
