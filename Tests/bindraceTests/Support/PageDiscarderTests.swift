@testable import bindrace
import Foundation
import Testing

/// Which pages of a mapped trace are given back, and when: whole aligned
/// spans behind what both stages have read, each once, by whichever thread
/// asks first.
@Suite struct PageDiscarderTests {
    private final class Ledger: @unchecked Sendable {
        private let monitor = Monitor()
        private var ranges: [(Int, Int)] = []
        func add(_ start: Int, _ end: Int) { monitor.withLock { ranges.append((start, end)) } }
        var all: [(Int, Int)] { monitor.withLock { ranges } }
    }

    private static let mb = 1 << 20

    @Test func givesBackWholeAlignedSpansOnOneThread() {
        let ledger = Ledger()
        let discarder = PageDiscarder(limit: 32 * Self.mb) { ledger.add($0, $1) }
        discarder.discard(before: 15 * Self.mb)
        #expect(ledger.all.isEmpty, "less than a span pending")
        discarder.discard(before: 17 * Self.mb + 12345)
        #expect(ledger.all.map { [$0.0, $0.1] } == [[0, 16 * Self.mb]], "up to the last 2 MB boundary")
        discarder.discard(before: 20 * Self.mb)
        #expect(ledger.all.count == 1)
        discarder.discard(before: 40 * Self.mb + 1)
        #expect(ledger.all.map { [$0.0, $0.1] } == [[0, 16 * Self.mb], [16 * Self.mb, 40 * Self.mb]])
    }

    @Test func reachingGivesBackOnlyPastTheLimit() {
        let ledger = Ledger()
        let discarder = PageDiscarder(limit: 32 * Self.mb) { ledger.add($0, $1) }
        discarder.reached(31 * Self.mb)
        #expect(ledger.all.isEmpty, "left for a side that would wait")
        #expect(discarder.discardPending())
        #expect(ledger.all.map { [$0.0, $0.1] } == [[0, 30 * Self.mb]])
        #expect(!discarder.discardPending(), "nothing whole pending")
        discarder.reached(62 * Self.mb - 1)
        #expect(ledger.all.count == 1)
        discarder.reached(62 * Self.mb)
        #expect(ledger.all.map { [$0.0, $0.1] } == [[0, 30 * Self.mb], [30 * Self.mb, 62 * Self.mb]], "the limit passed")
        // An offset going back (a later batch's first run) changes nothing.
        discarder.reached(10 * Self.mb)
        #expect(!discarder.discardPending())
    }

    @Test func twoThreadsGiveBackEachPageOnce() async {
        let ledger = Ledger()
        let discarder = PageDiscarder(limit: 64 * Self.mb) { start, end in
            ledger.add(start, end)
            usleep(50)
        }
        let end = 4096 * Self.mb
        let stop = Ledger()
        let helper = Thread {
            // The other side's idle work, until the stream ends (resting
            // when there is none: spinning on the lock starved the reader).
            while stop.all.isEmpty { if !discarder.discardPending() { usleep(20) } }
        }
        helper.start()
        var offset = 0
        while offset < end {
            offset += 3 * Self.mb + 4096
            discarder.reached(min(offset, end))
            if offset % 7 == 0 { discarder.discardPending() }
        }
        stop.add(0, 0)
        while !helper.isFinished { usleep(1000) }
        discarder.discardPending()
        let ranges = ledger.all.sorted { $0.0 < $1.0 }
        #expect(ranges.first?.0 == 0)
        // What is left is less than a step (given back by nobody, as a tail
        // that small always is), whichever side claimed last.
        let givenBack = ranges.last?.1 ?? 0
        #expect(givenBack <= end && end - givenBack < PageDiscarder.step)
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.1 == b.0, "contiguous, no page twice") }
        for r in ranges {
            #expect(r.1 - r.0 >= PageDiscarder.step)
            #expect(r.1 % PageDiscarder.alignment == 0)
        }
    }

    @Test func givesBackAMappedFilesPagesAndKeepsItsBytes() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("t.brt")
        // 4 KB of varied bytes doubled to 32 MB (built fast in a debug build).
        var contents = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ ($0 >> 8)) })
        while contents.count < 32 * Self.mb { contents.append(contents) }
        try contents.write(to: url)
        let mapped = try #require(MappedFile(path: url.path))
        let discarder = PageDiscarder(mapped)
        #expect(Data(mapped.bytes) == contents)
        discarder.discard(before: 32 * Self.mb)
        // Pages given back read again from the file, unchanged.
        #expect(Data(mapped.bytes) == contents)
    }
}
