import PropertyBased
import Testing
@testable import BindraceMatch

/// modules.alias read on bytes gives what a line-by-line reading of its
/// text by kmod's rules gives: the entries with their normalized globs and
/// lines, the skipped ones, and the first error.
@Suite struct ModulesAliasFileTests {
    /// Blanks, both line ends, comments, brackets, dashes, and characters
    /// Swift joins with what comes before.
    static let pieces = ["alias ", "alias", " ", "\t", "\r", "\n", "#", "-", "[", "]", "pci:v*", "é", "\u{301}", "x", "mod"]

    /// alias_normalize as kmod writes it, on the pattern's text.
    static func referenceNormalize(_ pattern: String) -> [UInt8]? {
        let bytes = Array(pattern.utf8.prefix(AliasNormalizer.maximumLength))
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "-"): out.append(UInt8(ascii: "_"))
            case UInt8(ascii: "]"): return nil
            case UInt8(ascii: "["):
                while i < bytes.count && bytes[i] != UInt8(ascii: "]") { out.append(bytes[i]); i += 1 }
                guard i < bytes.count else { return nil }
                out.append(bytes[i])
            default: out.append(bytes[i])
            }
            i += 1
        }
        return Array(String(decoding: out, as: UTF8.self).utf8)
    }

    struct Reading: Equatable {
        var entries: [String] = []
        var skipped: [String] = []
        var error: String?
    }

    static func describe(_ e: AliasEntry) -> String {
        "\(e.origin.line)|\(e.pattern)|\(String(decoding: e.glob.bytes, as: UTF8.self))|\(e.glob.literalCount)|\(e.module)"
    }

    static func reference(_ text: String) -> Reading {
        var reading = Reading()
        for (n, line) in TextLinesTests.referenceLines(text).enumerated() {
            let fields = TextLinesTests.referenceFields(line)
            if fields.isEmpty || fields[0].utf8.first == UInt8(ascii: "#") { continue }
            guard fields[0] == "alias" else {
                return Reading(error: "f:\(n + 1): expected 'alias PATTERN MODULE', found '\(fields[0].prefix(40))'")
            }
            guard fields.count == 3 else {
                return Reading(error: "f:\(n + 1): expected 'alias PATTERN MODULE' (3 fields), found \(fields.count)")
            }
            let origin = Origin(file: "f", line: n + 1)
            if let glob = referenceNormalize(fields[1]) {
                reading.entries.append(describe(AliasEntry(pattern: fields[1], glob: KmodGlob(bytes: glob), module: fields[2], origin: origin)))
            } else {
                reading.skipped.append(describe(AliasEntry(pattern: fields[1], glob: KmodGlob(normalized: fields[1]), module: fields[2], origin: origin)))
            }
        }
        return reading
    }

    static func read(_ text: String) -> Reading {
        do {
            let parsed = try ModulesAliasFile.parse(text, file: "f")
            return Reading(entries: parsed.entries.map(describe), skipped: parsed.skipped.map(describe))
        } catch {
            return Reading(error: error.description)
        }
    }

    @Test func readsAsKmodReadsLineByLine() async {
        await propertyCheck(count: 1000, input: Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...60)) { indices in
            let text = indices.map { Self.pieces[$0] }.joined()
            #expect(Self.read(text) == Self.reference(text), "text \(text.debugDescription)")
        }
    }

    @Test func linesOfThreeFields() {
        let text = "alias pci:v00001234d*sv*sd*bc*sc*i* some-mod\n\n# alias x y\nalias usb:v1D6Bp0002d*dc*dsc*dp*ic*isc*ip*in* hub\r\nalias a[b c\n"
        let reading = Self.read(text)
        #expect(reading.entries == ["1|pci:v00001234d*sv*sd*bc*sc*i*|pci:v00001234d*sv*sd*bc*sc*i*|14|some-mod",
                                    "4|usb:v1D6Bp0002d*dc*dsc*dp*ic*isc*ip*in*|usb:v1D6Bp0002d*dc*dsc*dp*ic*isc*ip*in*|15|hub"])
        #expect(reading.skipped == ["5|a[b|a[b|1|c"])
        #expect(Self.read("alias a b c\n").error == "f:1: expected 'alias PATTERN MODULE' (3 fields), found 4")
        #expect(Self.read("x\nalis a b\n").error == "f:1: expected 'alias PATTERN MODULE', found 'x'")
    }

    /// The 4095-byte cut inside a character reads as the String of the cut does.
    @Test func aCutInsideACharacter() {
        let pattern = String(repeating: "a", count: AliasNormalizer.maximumLength - 1) + "é-x"
        var bytes = pattern
        let normalized = bytes.withUTF8 { AliasNormalizer.normalizeAlias(bytes: $0) }
        #expect(normalized == Self.referenceNormalize(pattern))
        #expect(normalized.map { String(decoding: $0, as: UTF8.self) } == AliasNormalizer.normalizeAlias(pattern))
        #expect(normalized?.last == 0xBD, "the cut half of é reads as U+FFFD")
    }
}
