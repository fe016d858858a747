import Testing
import BindraceSystem
@testable import BindraceMatch

@Suite struct ModuleTablesTests {
    static let dir = "/lib/modules/6.1.0-test"

    static func tables(alias: String, order: String = "", dep: String = "", modinfo: [UInt8] = []) throws -> ModuleTables {
        var files: [String: [UInt8]] = ["modules.alias": Array(alias.utf8)]
        if !order.isEmpty { files["modules.order"] = Array(order.utf8) }
        if !dep.isEmpty { files["modules.dep"] = Array(dep.utf8) }
        if !modinfo.isEmpty { files["modules.builtin.modinfo"] = modinfo }
        return try ModuleTables(directory: dir, files: files)
    }

    @Test func resultsFollowModulesOrderNotAliasOrder() throws {
        let t = try Self.tables(
            alias: "alias pci:v00001234d* second\nalias pci:v*d*sv*sd*bc02sc00i* first\n",
            order: "kernel/a/first.ko\nkernel/b/second.ko\n",
            dep: "kernel/b/second.ko:\nkernel/a/first.ko:\n")
        let r = KmodResolver(tables: t).lookup("pci:v00001234d00005678sv00000000sd00000000bc02sc00i00")
        #expect(r.modulesWithDuplicates == ["first", "second"])
        #expect(r.source == .modulesAlias)
    }

    @Test func repeatsAreKeptForMinusRAndRemovedForLoading() throws {
        let t = try Self.tables(alias: "alias pci:v00001D97d00002263sv*sd*bc*sc*i* nvme\nalias pci:v00001D97d00002263sv*sd*bc*sc*i* nvme\nalias pci:v*d*sv*sd*bc01sc08i02 nvme\n")
        let r = KmodResolver(tables: t).lookup("pci:v00001D97d00002263sv00001111sd00002222bc01sc08i02")
        #expect(r.modulesWithDuplicates == ["nvme", "nvme", "nvme"])
        #expect(r.modules == ["nvme"])
    }

    @Test func builtinAliasesAnswerOnlyWhenModulesAliasDoesNot() throws {
        let modinfo = Array("pcieport.alias=pci:v*d*sv*sd*bc06sc04i00\u{0}pcieport.license=GPL\u{0}".utf8)
        let t = try Self.tables(alias: "alias pci:v00008086d00001111* other\n", modinfo: modinfo)
        let resolver = KmodResolver(tables: t)
        #expect(resolver.lookup("pci:v00001234d00005678sv00000000sd00000000bc06sc04i00").modules == ["pcieport"])
        #expect(resolver.lookup("pci:v00001234d00005678sv00000000sd00000000bc06sc04i00").source == .builtinAlias)
        #expect(resolver.lookup("pci:v00008086d00001111sv00000000sd00000000bc06sc04i00").modules == ["other"])
    }

    @Test func malformedModulesAliasNamesFileAndLine() {
        #expect(throws: MatchInputError(file: Self.dir + "/modules.alias", line: 2, message: "expected 'alias PATTERN MODULE' (3 fields), found 2")) {
            try Self.tables(alias: "alias a b\nalias only\n")
        }
        #expect(throws: MatchInputError.self) { try Self.tables(alias: "alais a b\n") }
    }

    @Test func unmatchedBracketIsLeftOutLikeDepmod() throws {
        let t = try Self.tables(alias: "alias usb:v1[2 broken\nalias usb:v12* fine\n")
        #expect(t.skippedAliases.map(\.module) == ["broken"])
        #expect(KmodResolver(tables: t).lookup("usb:v1234").modules == ["fine"])
    }

    @Test func loadsThroughTheFileSystemSeam() throws {
        let fs = InMemoryFileSystem(files: [Self.dir + "/modules.alias": "alias pci:v00008086d0000100E* e1000\n"])
        let t = try ModuleTables.load(from: fs, directory: Self.dir)
        #expect(KmodResolver(tables: t).lookup("pci:v00008086d0000100Esv00000000sd00000000bc02sc00i00").modules == ["e1000"])
        #expect(throws: MatchInputError.self) { try ModuleTables.load(from: fs, directory: "/nowhere") }
    }

    @Test func indexAgreesWithLinearScan() throws {
        var text = ""
        for i in 0..<300 { text += "alias pci:v0000\(String(format4(i)))d*sv*sd*bc*sc*i* m\(i % 17)\n" }
        text += "alias pci:v*d*sv*sd*bc03sc00i* vga\nalias pci:v0000000[0-3]d* low\n"
        let t = try Self.tables(alias: text)
        for i in stride(from: 0, to: 320, by: 7) {
            let key = Array("pci:v0000\(format4(i))d00000001sv00000000sd00000000bc03sc00i00".utf8)
            #expect(t.aliases.lookup(key).map(\.entry.module) == t.aliases.linearScan(key).map(\.entry.module))
        }
    }

    func format4(_ i: Int) -> String {
        let s = String(i, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - s.count) + s
    }
}
