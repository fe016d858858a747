/// Builds small x86_64 relocatable ELF files shaped like kernel modules:
/// `.modinfo`, a `.rodata` holding PCI id tables behind
/// `__mod_pci__<name>_device_table` symbols, and optional relocations.
struct ModuleELFFixture {
    struct Table {
        var name: String
        /// (vendor, device, subvendor, subdevice, class, class_mask, driver_data, override_only)
        var entries: [(UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt64, UInt32)]
        /// Entry indexes whose driver_data gets an R_X86_64_64 relocation.
        var relocatedDriverData: [Int] = []
        /// Entry index and byte within the entry of a relocation on the ids.
        var relocatedIDField: (Int, Int)? = nil
        /// Overrides the symbol size (to test the size check).
        var symbolSize: Int? = nil
        var misalign = false
    }

    var modinfo: [String]
    var tables: [Table] = []
    var elfType: UInt16 = 1

    static let entrySize = 40

    func bytes() -> [UInt8] {
        var modinfoBytes: [UInt8] = []
        for s in modinfo { modinfoBytes += Array(s.utf8) + [0] }
        var rodata: [UInt8] = []
        var symbols: [(name: String, value: Int, size: Int)] = []
        var relocations: [(offset: Int, addend: Int64)] = []
        for table in tables {
            if table.misalign { rodata += [0, 0, 0, 0] }
            let start = rodata.count
            for (i, e) in (table.entries + [(0, 0, 0, 0, 0, 0, 0, 0)]).enumerated() {
                var entry: [UInt8] = []
                for w in [e.0, e.1, e.2, e.3, e.4, e.5] { entry += le32(w) }
                entry += le64(e.6) + le32(e.7) + [0, 0, 0, 0]
                rodata += entry
                if table.relocatedDriverData.contains(i) { relocations.append((start + i * Self.entrySize + 24, Int64(e.6))) }
                if let (index, field) = table.relocatedIDField, index == i { relocations.append((start + i * Self.entrySize + field, 0)) }
            }
            symbols.append(("__mod_pci__\(table.name)_device_table", start, table.symbolSize ?? (table.entries.count + 1) * Self.entrySize))
            if !table.misalign { while rodata.count % 8 != 0 { rodata.append(0) } }
        }
        var strtab: [UInt8] = [0]
        var symtab = [UInt8](repeating: 0, count: 24)  // the null symbol
        // Section symbol for .rodata (relocation target), then the tables.
        symtab += le32(0) + [0x03, 0] + le16(2) + le64(0) + le64(0)
        for s in symbols {
            let nameOffset = strtab.count
            strtab += Array(s.name.utf8) + [0]
            symtab += le32(UInt32(nameOffset)) + [0x11, 0] + le16(2) + le64(UInt64(s.value)) + le64(UInt64(s.size))
        }
        var rela: [UInt8] = []
        for r in relocations { rela += le64(UInt64(r.offset)) + le64(1 << 32 | 1) + le64(UInt64(bitPattern: r.addend)) }
        let names = ["", ".modinfo", ".rodata", ".rela.rodata", ".symtab", ".strtab", ".shstrtab"]
        var shstrtab: [UInt8] = []
        var nameOffsets: [Int] = []
        for n in names { nameOffsets.append(shstrtab.count); shstrtab += Array(n.utf8) + [0] }
        // (type, flags, contents, link, info, align, entsize)
        let sections: [(UInt32, UInt64, [UInt8], UInt32, UInt32, UInt64, UInt64)] = [
            (0, 0, [], 0, 0, 0, 0),
            (1, 2, modinfoBytes, 0, 0, 1, 0),
            (1, 2, rodata, 0, 0, 32, 0),
            (4, 0x40, rela, 4, 2, 8, 24),
            (2, 0, symtab, 5, 2, 8, 24),
            (3, 0, strtab, 0, 0, 1, 0),
            (3, 0, shstrtab, 0, 0, 1, 0),
        ]
        var body: [UInt8] = []
        var offsets: [Int] = []
        for s in sections {
            while (64 + body.count) % 8 != 0 { body.append(0) }
            offsets.append(64 + body.count)
            body += s.2
        }
        while (64 + body.count) % 8 != 0 { body.append(0) }
        let shoff = 64 + body.count
        var headers: [UInt8] = []
        for (i, s) in sections.enumerated() {
            headers += le32(UInt32(nameOffsets[i])) + le32(s.0) + le64(s.1) + le64(0)
            headers += le64(i == 0 ? 0 : UInt64(offsets[i])) + le64(UInt64(s.2.count)) + le32(s.3) + le32(s.4) + le64(s.5) + le64(s.6)
        }
        var header: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        header += le16(elfType) + le16(62) + le32(1) + le64(0) + le64(0) + le64(UInt64(shoff)) + le32(0)
        header += le16(64) + le16(0) + le16(0) + le16(64) + le16(UInt16(sections.count)) + le16(6)
        return header + body + headers
    }

    func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
    func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8((v >> (8 * UInt64($0))) & 0xFF) } }
}
