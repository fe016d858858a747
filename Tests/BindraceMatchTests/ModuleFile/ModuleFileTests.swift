import Testing
import BindraceTrace
@testable import BindraceMatch
#if BINDRACE_HAVE_MODULE_FILE_LIBS && canImport(CModuleFile)
import CModuleFile
#endif

@Suite struct ModuleFileTests {
    static let any = PCIMatchID.any

    static var fixture: ModuleELFFixture {
        ModuleELFFixture(
            modinfo: ["license=GPL", "alias=pci:v0000ABCDd00001234sv*sd*bc*sc*i*", "depends=mdev,vfio-pci-core",
                      "softdep=pre: crc32c post: snd-hda-codec", "name=demo_drv", "vermagic=6.1.0-56-amd64 SMP preempt mod_unload modversions "],
            tables: [.init(name: "demo_ids", entries: [
                (0xABCD, 0x1234, any, any, 0, 0, 0, 0),
                (0x8086, any, 0x1AF4, 0x1100, 0x010802, 0xFFFFFF, 7, 0),
                (any, any, any, any, 0x0C0330, 0xFFFF00, 0, 0),
                (0x10DE, 0x1B80, any, any, 0, 0, 0, 1),
                (0x1234, 0x0001, any, any, 0x030000, 0xF00000, 0, 0),
            ], relocatedDriverData: [1])])
    }

    @Test func modpostAliasesFollowFile2alias() {
        #expect(PCIStaticID(id: PCIMatchID(vendor: 0x8086, device: 0x100E)).modpostAlias(overrideOnlyRaw: 0) == "pci:v00008086d0000100Esv*sd*bc*sc*i*")
        let nvme = PCIStaticID(id: PCIMatchID(vendor: Self.any, device: Self.any, classCode: 0x010802, classMask: 0xFFFFFF))
        #expect(nvme.modpostAlias(overrideOnlyRaw: 0) == "pci:v*d*sv*sd*bc01sc08i02*")
        #expect(PCIStaticID(id: PCIMatchID(vendor: 0x10DE, device: Self.any)).modpostAlias(overrideOnlyRaw: 1) == "vfio_pci:v000010DEd*sv*sd*bc*sc*i*")
        #expect(PCIStaticID(id: PCIMatchID(vendor: 1, device: 2, classCode: 0x030000, classMask: 0xF00000)).modpostAlias(overrideOnlyRaw: 0) == nil)
        #expect(PCIStaticID(id: PCIMatchID(vendor: 1, device: 2)).modpostAlias(overrideOnlyRaw: 2) == nil)
    }

    @Test func layoutFollowsTheKernelVersion() {
        #expect(PCIDeviceIDLayout(wordSize: 8, littleEndian: true, hasOverrideOnly: true).entrySize == 40)
        #expect(PCIDeviceIDLayout(wordSize: 8, littleEndian: true, hasOverrideOnly: false).entrySize == 32)
        #expect(PCIDeviceIDLayout(wordSize: 4, littleEndian: true, hasOverrideOnly: true).entrySize == 32)
        #expect(PCIDeviceIDLayout.hasOverrideOnly(vermagic: "6.1.0-56-amd64 SMP"))
        #expect(!PCIDeviceIDLayout.hasOverrideOnly(vermagic: "5.10.0-30-amd64 SMP"))
        #expect(PCIDeviceIDLayout.hasOverrideOnly(vermagic: nil))
    }

    @Test func modinfoStringsSkipPadding() {
        let entries = ModuleFile.parseModinfo(Array("a=1\u{0}\u{0}\u{0}b=x=y\u{0}flag\u{0}".utf8)[...], baseOffset: 100)
        #expect(entries.map(\.key) == ["a", "b", "flag"])
        #expect(entries.map(\.value) == ["1", "x=y", ""])
        #expect(entries.map(\.offset) == [100, 106, 112])
    }

    #if BINDRACE_HAVE_MODULE_FILE_LIBS && canImport(CModuleFile)
    @Test func readsModinfoAndTheIdTable() throws {
        let m = try ModuleFileReader.parse(Self.fixture.bytes(), path: "demo.ko")
        #expect(m.compression == .none)
        #expect(m.name == "demo_drv")
        #expect(m.aliases == ["pci:v0000ABCDd00001234sv*sd*bc*sc*i*"])
        #expect(m.depends == ["mdev", "vfio-pci-core"])
        #expect(m.softdeps == ["pre: crc32c post: snd-hda-codec"])
        #expect(m.pciTables.count == 1)
        let table = m.pciTables[0]
        #expect(table.symbol == "__mod_pci__demo_ids_device_table")
        #expect(table.entries.count == 5)
        #expect(table.entries[1].driverDataRelocated && table.entries[1].driverData == 7)
        #expect(table.entries[3].id.overrideOnly)
        #expect(table.modpostAliases == [
            "pci:v0000ABCDd00001234sv*sd*bc*sc*i*", "pci:v00008086d*sv00001AF4sd00001100bc01sc08i02*",
            "pci:v*d*sv*sd*bc0Csc03i*", "vfio_pci:v000010DEd00001B80sv*sd*bc*sc*i*",
        ])
    }

    @Test func compressedFormsReadTheSame() throws {
        let plain = Self.fixture.bytes()
        let reference = try ModuleFileReader.parse(plain, path: "m.ko")
        let xz = try #require(Self.xz(plain)), zst = try #require(Self.zstd(plain))
        let fromXZ = try ModuleFileReader.parse(xz, path: "m.ko.xz")
        let fromZstd = try ModuleFileReader.parse(zst, path: "m.ko.zst")
        #expect(fromXZ.compression == .xz && fromZstd.compression == .zstd)
        #expect(fromXZ.modinfo == reference.modinfo && fromZstd.modinfo == reference.modinfo)
        #expect(fromXZ.pciTables == reference.pciTables && fromZstd.pciTables == reference.pciTables)
    }

    @Test func corruptTruncatedAndOversizedFilesNameFileAndOffset() throws {
        let plain = Self.fixture.bytes()
        let xz = try #require(Self.xz(plain)), zst = try #require(Self.zstd(plain))
        func error(_ bytes: [UInt8], _ path: String, limit: Int = ModuleFileReader.imageSizeLimit) -> MatchInputError? {
            do {
                _ = try ModuleFileReader.parse(bytes, path: path, imageLimit: limit)
                return nil
            } catch {
                return error
            }
        }
        let truncatedXZ = error(Array(xz.prefix(xz.count / 2)), "t.ko.xz")
        #expect(truncatedXZ?.file == "t.ko.xz" && truncatedXZ?.offset != nil && truncatedXZ?.message == "truncated xz data")
        #expect(error(Array(zst.prefix(zst.count - 3)), "t.ko.zst")?.message == "truncated zstd data")
        var flipped = xz
        flipped[xz.count / 2] ^= 0xFF
        #expect(error(flipped, "f.ko.xz")?.offset != nil)
        #expect(error(xz, "big.ko.xz", limit: 1024)?.message == "decompressed module larger than 1024 bytes, refused")
        #expect(error(zst, "big.ko.zst", limit: 1024)?.message == "decompressed module larger than 1024 bytes, refused")
        #expect(error(Array(plain.prefix(200)), "short.ko")?.description.hasPrefix("short.ko: offset ") == true)
        #expect(error([], "empty.ko")?.description == "empty.ko: offset 0: empty file")
        #expect(error([0x1F, 0x8B, 8, 0], "g.ko.gz")?.message.hasPrefix("gzip-compressed module") == true)
        var notRel = Self.fixture
        notRel.elfType = 3
        #expect(error(notRel.bytes(), "so.ko")?.message.contains("not a relocatable object") == true)
    }

    @Test func idTableChecks() throws {
        func message(_ table: ModuleELFFixture.Table) -> String? {
            do {
                _ = try ModuleFileReader.parse(ModuleELFFixture(modinfo: ["name=x"], tables: [table]).bytes(), path: "x.ko")
                return nil
            } catch {
                return error.message
            }
        }
        let one: [(UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt64, UInt32)] = [(1, 2, Self.any, Self.any, 0, 0, 0, 0)]
        #expect(message(.init(name: "t", entries: one, relocatedIDField: (0, 4)))?.contains("inside its id fields") == true)
        #expect(message(.init(name: "t", entries: one, symbolSize: 60))?.contains("not a multiple of struct pci_device_id") == true)
        #expect(message(.init(name: "t", entries: one, misalign: true))?.contains("not aligned") == true)
        #expect(message(.init(name: "t", entries: one, symbolSize: 4000))?.contains("extend past section") == true)
        #expect(message(.init(name: "t", entries: one)) == nil)
    }

    static func xz(_ input: [UInt8]) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: input.count + 4096)
        var position = 0
        let ret = out.withUnsafeMutableBufferPointer { o in
            lzma_easy_buffer_encode(3, LZMA_CHECK_CRC32, nil, input, input.count, o.baseAddress, &position, o.count)
        }
        return ret == LZMA_OK ? Array(out.prefix(position)) : nil
    }

    static func zstd(_ input: [UInt8]) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        let n = out.withUnsafeMutableBufferPointer { o in ZSTD_compress(o.baseAddress, o.count, input, input.count, 3) }
        return ZSTD_isError(n) == 0 ? Array(out.prefix(n)) : nil
    }
    #endif

    @Test func moduleFilesJoinTheTablesAfterIndexedModules() throws {
        let tables0 = try ModuleTables(directory: "/lib/modules/t", files: [
            "modules.alias": Array("alias pci:v0000ABCDd*sv*sd*bc*sc*i* intree\nalias pci:v00001111d*sv*sd*bc*sc*i* demo_drv\n".utf8),
            "modules.dep": Array("kernel/intree.ko:\nkernel/demo_drv.ko:\nkernel/mdev.ko:\n".utf8),
            "modules.order": Array("kernel/intree.ko\nkernel/demo_drv.ko\nkernel/mdev.ko\n".utf8),
        ])
        let file = ModuleFile(path: "/src/demo_drv.ko", compression: .none, modinfo: [
            .init(key: "name", value: "demo_drv", offset: 0),
            .init(key: "alias", value: "pci:v0000ABCDd00001234sv*sd*bc*sc*i*", offset: 10),
            .init(key: "depends", value: "mdev", offset: 20),
            .init(key: "softdep", value: "pre: crc32c", offset: 30),
        ], pciTables: [])
        var tables = tables0
        tables.add(moduleFiles: [file])
        let resolver = KmodResolver(tables: tables, config: tables.softdeps)
        // Ranked after the in-tree module although its pattern is more specific.
        #expect(resolver.lookup("pci:v0000ABCDd00001234sv00000000sd00000000bc02sc00i00").modules == ["intree", "demo_drv"])
        // The in-tree copy of the same module is replaced.
        #expect(resolver.lookup("pci:v00001111d00000001sv00000000sd00000000bc02sc00i00").modules.isEmpty)
        #expect(tables.dep.modules["demo_drv"]?.path == "/src/demo_drv.ko")
        #expect(tables.dep.modules["demo_drv"]?.dependencies == ["kernel/mdev.ko"])
        #expect(resolver.config.softdep(for: "demo_drv")?.pre == ["crc32c"])
        #expect(tables.moduleFiles == ["/src/demo_drv.ko"])
    }
}
