@testable import bindrace
import Foundation
import Testing

@Suite struct MappedFileTests {
    /// `contents` written to a file in a directory of its own, mapped, and handed to `body`.
    private func withMapped(_ contents: Data, _ body: (MappedFile) throws -> Void) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("t.brt")
        try contents.write(to: url)
        try body(try #require(MappedFile(path: url.path)))
    }

    @Test func mapsARegularFileWhole() throws {
        let contents = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try withMapped(contents) { mapped in #expect(Data(mapped.bytes) == contents) }
    }

    @Test func populatedPagesReadTheSameAndRangesOutsideAreIgnored() throws {
        let contents = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 13) })
        try withMapped(contents) { mapped in
            #if os(Linux)
            // The build machines run kernels with MADV_POPULATE_READ (5.14 on).
            #expect(mapped.populate(from: 0, to: 200_000))
            #endif
            // Past the end, empty or reversed: nothing asked of the kernel, and not a refusal.
            #expect(mapped.populate(from: 0, to: 400_000))
            #expect(mapped.populate(from: 8192, to: 8192))
            #expect(mapped.populate(from: 8192, to: 4096))
            #expect(Data(mapped.bytes) == contents)
        }
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
}
