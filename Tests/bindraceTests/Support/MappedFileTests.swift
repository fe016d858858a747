@testable import bindrace
import Foundation
import Testing

@Suite struct MappedFileTests {
    @Test func mapsARegularFileWhole() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("t.brt")
        let contents = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try contents.write(to: url)
        let mapped = try #require(MappedFile(path: url.path))
        #expect(Data(mapped.bytes) == contents)
    }

    @Test func refusesWhatItCannotMap() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = directory.appendingPathComponent("empty.brt")
        try Data().write(to: empty)
        #expect(MappedFile(path: empty.path) == nil)
        #expect(MappedFile(path: directory.path) == nil)
        #expect(MappedFile(path: directory.appendingPathComponent("missing.brt").path) == nil)
        #expect(MappedFile(path: "/dev/null") == nil)
    }

    #if os(Linux)
    /// Resident kilobytes of the mapping that starts at `base`, from /proc/self/smaps.
    private static func residentKB(of base: UnsafeRawPointer) throws -> Int? {
        let start = String(UInt(bitPattern: base), radix: 16)
        // Read to the end: /proc files have no size for a one-shot read to go by.
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        var inMapping = false
        for line in smaps.split(separator: "\n") {
            if let dash = line.firstIndex(of: "-"), line[..<dash].allSatisfy(\.isHexDigit) {
                inMapping = line[..<dash].drop { $0 == "0" } == start.drop { $0 == "0" }
            } else if inMapping, line.hasPrefix("Rss:") {
                return Int(line.split(separator: " ")[1])
            }
        }
        return nil
    }

    @Test func populatesAheadAndNeverBehindWhatWasGivenBack() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("t.brt")
        var contents = Data(count: 64 << 20)
        contents.withUnsafeMutableBytes { bytes in
            for page in stride(from: 0, to: bytes.count, by: 4096) { bytes[page] = UInt8(truncatingIfNeeded: page >> 12) }
        }
        try contents.write(to: url)
        let mapped = try #require(MappedFile(path: url.path))
        let base = try #require(mapped.bytes.baseAddress)
        // Written just now, the file is in the page cache; nothing is mapped in yet.
        let before = try #require(try Self.residentKB(of: base))
        #expect(before < 1024, "\(before) kB resident before any read")
        mapped.populate(upTo: 24 << 20)
        let ahead = try #require(try Self.residentKB(of: base))
        // A kernel before 5.14 refuses the advice; then nothing changes.
        guard ahead > before else { return }
        #expect(ahead >= 24 << 10, "\(ahead) kB resident after populating 24 MB")
        // Less than 8 MB further: left for the next call.
        mapped.populate(upTo: 28 << 20)
        #expect(try #require(try Self.residentKB(of: base)) < 28 << 10)
        // Given back, then populated from there on only.
        mapped.discard(before: 32 << 20)
        mapped.populate(upTo: 48 << 20)
        let after = try #require(try Self.residentKB(of: base))
        #expect(after <= 16 << 10 + 1024, "\(after) kB resident: the pages given back came back")
        // Past the end: up to the end, and the bytes are the file's.
        mapped.populate(upTo: 1 << 40)
        #expect(Data(mapped.bytes) == contents)
    }
    #endif
}
