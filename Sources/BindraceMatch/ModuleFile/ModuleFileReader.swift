import BindraceSystem
#if BINDRACE_HAVE_MODULE_FILE_LIBS && canImport(CModuleFile)
import CModuleFile
#endif

/// Reads `.ko`, `.ko.xz` and `.ko.zst` files into `ModuleFile` values. The
/// compression is recognised by its magic bytes, as kmod does, not by the
/// file name. Every failure is a `MatchInputError` naming the file and, where
/// there is one, the byte offset; nothing here traps on bad input.
public enum ModuleFileReader {
    /// Largest module file read (compressed or not).
    public static let fileSizeLimit = 256 << 20
    /// Largest decompressed image accepted.
    public static let imageSizeLimit = 512 << 20

    static let elfMagic: [UInt8] = [0x7F, 0x45, 0x4C, 0x46]
    static let xzMagic: [UInt8] = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]
    static let zstdMagic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
    static let gzipMagic: [UInt8] = [0x1F, 0x8B]

    public static func read(path: String, fs: any FileSystem) throws(MatchInputError) -> ModuleFile {
        let bytes: [UInt8]
        do {
            bytes = try fs.readFile(at: path, limit: fileSizeLimit)
        } catch {
            throw MatchInputError(file: path, message: error.reasonText)
        }
        return try parse(bytes, path: path)
    }

    /// Parses a module file's contents; `path` names it in errors and results.
    public static func parse(_ bytes: [UInt8], path: String, imageLimit: Int = imageSizeLimit) throws(MatchInputError) -> ModuleFile {
        #if BINDRACE_HAVE_MODULE_FILE_LIBS && canImport(CModuleFile)
        let compression: ModuleFile.Compression
        var image: [UInt8]
        if bytes.starts(with: elfMagic) {
            compression = .none
            image = bytes
        } else if bytes.starts(with: xzMagic) {
            compression = .xz
            image = try ModuleFileDecompressor.xz(bytes, path: path, limit: imageLimit)
        } else if bytes.starts(with: zstdMagic) {
            compression = .zstd
            image = try ModuleFileDecompressor.zstd(bytes, path: path, limit: imageLimit)
        } else if bytes.starts(with: gzipMagic) {
            throw MatchInputError(file: path, offset: 0, message: "gzip-compressed module: bindrace reads .ko, .ko.xz and .ko.zst only")
        } else {
            throw MatchInputError(file: path, offset: 0, message: bytes.isEmpty ? "empty file" : "not a kernel module (no ELF, xz or zstd magic)")
        }
        guard image.starts(with: elfMagic) else {
            throw MatchInputError(file: path, offset: 0, message: "decompressed \(compression.rawValue) data is not an ELF file")
        }
        let (modinfo, tables) = try ModuleELF.read(&image, path: path)
        return ModuleFile(path: path, compression: compression, modinfo: modinfo, pciTables: tables)
        #else
        throw MatchInputError(file: path, message: ModuleFileSupport.unavailableReason ?? "cannot read module files")
        #endif
    }
}

#if BINDRACE_HAVE_MODULE_FILE_LIBS && canImport(CModuleFile)
/// The ELF side, through libelf: sections by name, the symbol table, the
/// relocations that touch an id table.
enum ModuleELF {
    static let libelfReady: Bool = elf_version(UInt32(EV_CURRENT)) != UInt32(EV_NONE)

    static let tablePrefix = "__mod_pci__", tableSuffix = "_device_table"

    static func read(_ image: inout [UInt8], path: String) throws(MatchInputError) -> ([ModuleFile.ModinfoEntry], [ModuleFile.PCITable]) {
        guard libelfReady else { throw MatchInputError(file: path, message: "libelf refused version EV_CURRENT") }
        let count = image.count
        let result: Result<([ModuleFile.ModinfoEntry], [ModuleFile.PCITable]), MatchInputError> = image.withUnsafeMutableBytes { raw in
            guard let elf = elf_memory(raw.baseAddress!.assumingMemoryBound(to: CChar.self), count) else {
                return .failure(MatchInputError(file: path, offset: 0, message: "libelf: " + errorText()))
            }
            defer { elf_end(elf) }
            do throws(MatchInputError) {
                return .success(try walk(elf, image: UnsafeRawBufferPointer(raw), path: path))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    static func errorText() -> String {
        guard let m = elf_errmsg(-1) else { return "unknown error" }
        return String(cString: m)
    }

    struct Section {
        var index: Int
        var name: String
        var header: GElf_Shdr
        /// Section contents, indexed from 0 (empty for SHT_NOBITS).
        var bytes: ArraySlice<UInt8>
    }

    static func walk(_ elf: OpaquePointer, image: UnsafeRawBufferPointer, path: String) throws(MatchInputError) -> ([ModuleFile.ModinfoEntry], [ModuleFile.PCITable]) {
        func fail(_ offset: Int, _ message: String) -> MatchInputError { MatchInputError(file: path, offset: offset, message: message) }
        guard elf_kind(elf) == ELF_K_ELF else { throw fail(0, "not an ELF object") }
        var ehdr = GElf_Ehdr()
        guard gelf_getehdr(elf, &ehdr) != nil else { throw fail(0, "bad ELF header: " + errorText()) }
        let ident = withUnsafeBytes(of: ehdr.e_ident) { Array($0) }
        let wordSize: Int
        switch Int32(ident[Int(EI_CLASS)]) {
        case ELFCLASS64: wordSize = 8
        case ELFCLASS32: wordSize = 4
        default: throw fail(Int(EI_CLASS), "unknown ELF class \(ident[Int(EI_CLASS)])")
        }
        let littleEndian: Bool
        switch Int32(ident[Int(EI_DATA)]) {
        case ELFDATA2LSB: littleEndian = true
        case ELFDATA2MSB: littleEndian = false
        default: throw fail(Int(EI_DATA), "unknown ELF byte order \(ident[Int(EI_DATA)])")
        }
        guard ehdr.e_type == UInt16(ET_REL) else { throw fail(16, "ELF type \(ehdr.e_type) is not a relocatable object: not a kernel module") }
        // libelf quietly sees no sections when the header table lies outside
        // the image; say so instead.
        var sectionCount = 0
        guard elf_getshdrnum(elf, &sectionCount) == 0 else { throw fail(Int(clamping: ehdr.e_shoff), "bad section count: " + errorText()) }
        let tableEnd = ehdr.e_shoff.addingReportingOverflow(UInt64(sectionCount) * UInt64(ehdr.e_shentsize))
        guard sectionCount > 0, ehdr.e_shoff > 0, !tableEnd.overflow, tableEnd.partialValue <= UInt64(image.count) else {
            throw fail(Int(clamping: ehdr.e_shoff), "section header table (\(sectionCount) entries) lies outside the \(image.count)-byte file")
        }
        var stringIndex = 0
        guard elf_getshdrstrndx(elf, &stringIndex) == 0 else { throw fail(Int(ehdr.e_shoff), "no section name table: " + errorText()) }

        // Sections, with their contents checked against the image.
        var sections: [Section] = []
        var scn: OpaquePointer? = nil
        while let next = elf_nextscn(elf, scn) {
            scn = next
            var shdr = GElf_Shdr()
            guard gelf_getshdr(next, &shdr) != nil else { throw fail(Int(ehdr.e_shoff), "bad section header: " + errorText()) }
            let index = elf_ndxscn(next)
            let name = elf_strptr(elf, stringIndex, Int(shdr.sh_name)).map { String(cString: $0) } ?? ""
            var bytes: ArraySlice<UInt8> = []
            if shdr.sh_type != UInt32(SHT_NOBITS) && shdr.sh_size > 0 {
                guard shdr.sh_offset <= UInt64(image.count), shdr.sh_size <= UInt64(image.count) - shdr.sh_offset else {
                    throw fail(Int(clamping: shdr.sh_offset), "section \(name.isEmpty ? "#\(index)" : name) extends past the end of the file")
                }
                let start = Int(shdr.sh_offset)
                bytes = Array(image[start..<(start + Int(shdr.sh_size))])[...]
            }
            sections.append(Section(index: index, name: name, header: shdr, bytes: bytes))
        }

        var modinfo: [ModuleFile.ModinfoEntry] = []
        if let info = sections.first(where: { $0.name == ".modinfo" }) {
            modinfo = ModuleFile.parseModinfo(info.bytes, baseOffset: Int(info.header.sh_offset))
        } else {
            throw fail(Int(ehdr.e_shoff), "no .modinfo section: not a kernel module")
        }
        let vermagic = modinfo.first { $0.key == "vermagic" }?.value
        let layout = PCIDeviceIDLayout(
            wordSize: wordSize, littleEndian: littleEndian, hasOverrideOnly: PCIDeviceIDLayout.hasOverrideOnly(vermagic: vermagic))

        guard let symtab = sections.first(where: { $0.header.sh_type == UInt32(SHT_SYMTAB) }) else {
            // A module without a symbol table has no device tables to read.
            return (modinfo, [])
        }
        var tables: [ModuleFile.PCITable] = []
        guard let symbolData = elf_getdata(elf_getscn(elf, symtab.index), nil) else {
            throw fail(Int(symtab.header.sh_offset), "unreadable symbol table: " + errorText())
        }
        let entrySize = max(Int(symtab.header.sh_entsize), 1)
        let symbolCount = Int(symtab.header.sh_size) / entrySize
        for i in 0..<symbolCount {
            var sym = GElf_Sym()
            guard gelf_getsym(symbolData, Int32(clamping: i), &sym) != nil else {
                throw fail(Int(symtab.header.sh_offset) + i * entrySize, "bad symbol \(i): " + errorText())
            }
            guard let namePointer = elf_strptr(elf, Int(symtab.header.sh_link), Int(sym.st_name)) else { continue }
            let name = String(cString: namePointer)
            guard name.hasPrefix(tablePrefix), name.hasSuffix(tableSuffix), name.utf8.count > tablePrefix.utf8.count + tableSuffix.utf8.count else { continue }
            let symbolOffset = Int(symtab.header.sh_offset) + i * entrySize
            let shndx = Int(sym.st_shndx)
            guard shndx != Int(SHN_UNDEF), shndx < Int(SHN_LORESERVE), let section = sections.first(where: { $0.index == shndx }) else {
                throw fail(symbolOffset, "\(name) is not defined in a section of the module")
            }
            tables.append(try table(name, sym: sym, section: section, sections: sections, elf: elf, layout: layout, symbolOffset: symbolOffset, path: path))
        }
        return (modinfo, tables)
    }

    static func table(
        _ name: String, sym: GElf_Sym, section: Section, sections: [Section], elf: OpaquePointer,
        layout: PCIDeviceIDLayout, symbolOffset: Int, path: String
    ) throws(MatchInputError) -> ModuleFile.PCITable {
        func fail(_ offset: Int, _ message: String) -> MatchInputError { MatchInputError(file: path, offset: offset, message: message) }
        let size = Int(clamping: sym.st_size), value = Int(clamping: sym.st_value)
        let entry = layout.entrySize
        // modpost's check: a whole number of entries, at least the terminator.
        guard size >= entry, size % entry == 0 else {
            throw fail(symbolOffset, "\(name): size \(size) is not a multiple of struct pci_device_id (\(entry) bytes in this layout)")
        }
        guard value % layout.alignment == 0 else {
            throw fail(symbolOffset, "\(name): at section offset \(value), not aligned to \(layout.alignment) bytes")
        }
        guard UInt64(section.header.sh_size) >= UInt64(value) + UInt64(size) else {
            throw fail(symbolOffset, "\(name): \(size) bytes at \(value) extend past section \(section.name) (\(section.header.sh_size) bytes)")
        }
        let fileOffset = Int(section.header.sh_offset) + value
        let isNoBits = section.header.sh_type == UInt32(SHT_NOBITS)
        var entries: [ModuleFile.PCIEntry] = []
        // The last entry is the terminator; modpost skips it whatever it holds.
        for k in 0..<(size / entry - 1) {
            if isNoBits {
                entries.append(layout.decode(ArraySlice(repeating: 0, count: entry)))
            } else {
                let start = section.bytes.startIndex + value + k * entry
                entries.append(layout.decode(section.bytes[start..<(start + entry)]))
            }
        }
        // Relocations against the table: only driver_data may carry one (a
        // pointer); the id words are constants in every real module.
        for rel in sections where (rel.header.sh_type == UInt32(SHT_RELA) || rel.header.sh_type == UInt32(SHT_REL)) && Int(rel.header.sh_info) == section.index {
            guard let data = elf_getdata(elf_getscn(elf, rel.index), nil) else {
                throw fail(Int(rel.header.sh_offset), "unreadable relocation section \(rel.name): " + errorText())
            }
            let relSize = max(Int(rel.header.sh_entsize), 1)
            for r in 0..<(Int(rel.header.sh_size) / relSize) {
                var target: UInt64 = 0
                var addend: Int64 = 0
                if rel.header.sh_type == UInt32(SHT_RELA) {
                    var rela = GElf_Rela()
                    guard gelf_getrela(data, Int32(clamping: r), &rela) != nil else { throw fail(Int(rel.header.sh_offset) + r * relSize, "bad relocation: " + errorText()) }
                    target = rela.r_offset
                    addend = rela.r_addend
                } else {
                    var plain = GElf_Rel()
                    guard gelf_getrel(data, Int32(clamping: r), &plain) != nil else { throw fail(Int(rel.header.sh_offset) + r * relSize, "bad relocation: " + errorText()) }
                    target = plain.r_offset
                }
                guard target >= UInt64(value), target < UInt64(value + size) else { continue }
                let within = Int(target) - value
                let index = within / entry, field = within % entry
                guard index < entries.count else { continue }  // the terminator
                if field == layout.driverDataOffset {
                    entries[index].driverDataRelocated = true
                    if rel.header.sh_type == UInt32(SHT_RELA) { entries[index].driverData = UInt64(bitPattern: addend) }
                } else {
                    throw fail(Int(rel.header.sh_offset) + r * relSize, "\(name): entry \(index) has a relocation at byte \(field), inside its id fields; bindrace cannot read such a table")
                }
            }
        }
        return ModuleFile.PCITable(symbol: name, section: section.name, offset: fileOffset, entries: entries)
    }
}
#endif
