@testable import bindrace
import BindraceReplay
import BindraceTrace
import Foundation
import Testing

/// The streaming replay of a file on two threads (the reader with the
/// clock stage, the step stage, the checksums verified ahead by whichever
/// waits) makes of it what one thread makes, intact or damaged.
@Suite struct StreamingAnalysisTests {
    static func trace(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("s.brt").path
        let synth = try CLI.run(["synth", "-o", path, "--events", "60000"])
        try #require(synth.status == 0, "\(synth.stderr)")
        return path
    }

    static func same(_ a: StreamingAnalysis.Outcome, _ b: StreamingAnalysis.Outcome) {
        #expect(a.analysis.devices == b.analysis.devices)
        #expect(a.analysis.warnings == b.analysis.warnings)
        #expect(a.analysis.eventCount == b.analysis.eventCount)
        #expect(a.diagnostics == b.diagnostics)
    }

    @Test func twoThreadsGiveWhatOneGives() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.trace(in: dir)
        let one = try StreamingAnalysis.run(path: path, encoding: nil, threads: 1)
        let two = try StreamingAnalysis.run(path: path, encoding: nil, threads: 2)
        Self.same(one, two)
        #expect(one.checksumsAhead == nil)
        let ahead = try #require(two.checksumsAhead)
        #expect(ahead.used <= ahead.verified)
    }

    /// Damage in many places (a payload byte flipped in every third
    /// chunk): the same intact events, results and damage reports.
    @Test func twoThreadsReadDamageAsOneDoes() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.trace(in: dir)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var offset = TraceFormat.headerSize, chunk = 0, flipped = 0
        while offset + TraceFormat.chunkHeaderSize <= bytes.count {
            let length = bytes[offset...].withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
            if chunk % 3 == 1 && length > 16 {
                bytes[offset + TraceFormat.chunkHeaderSize + length / 2] ^= 0x20
                flipped += 1
            }
            offset += TraceFormat.chunkHeaderSize + (length + 7) & ~7
            chunk += 1
        }
        try #require(flipped >= 5)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let one = try StreamingAnalysis.run(path: path, encoding: nil, threads: 1)
        let two = try StreamingAnalysis.run(path: path, encoding: nil, threads: 2)
        Self.same(one, two)
        #expect(one.diagnostics.filter { $0.severity == .damage }.count >= flipped)
    }
}
