@testable import bindrace
import Testing

/// Which pages of a mapped trace are mapped ahead of the reader: from a
/// page boundary, a window at a time, each page once, never past the file,
/// and nothing more once the kernel says it cannot.
@Suite struct PagesAheadTests {
    private final class Ledger {
        var ranges: [[Int]] = []
        var answer = true
    }

    private static let page = 4096
    private static let window = PagesAhead.window

    private func pages(length: Int, _ ledger: Ledger) -> PagesAhead {
        PagesAhead(length: length, pageSize: Self.page) { start, end in
            ledger.ranges.append([start, end])
            return ledger.answer
        }
    }

    @Test func mapsAWindowAtATimeAheadOfTheReader() {
        let ledger = Ledger()
        let ahead = pages(length: 100 * Self.window, ledger)
        // A chunk of 200,000 bytes at offset 100: the next one ends near 400,100.
        ahead.reach(chunkAt: 100, bytes: 200_000)
        #expect(ledger.ranges == [[0, Self.window]], "a whole window from the page the reader is in")
        ahead.reach(chunkAt: 200_124, bytes: 200_000)
        #expect(ledger.ranges.count == 1, "still inside the window")
        ahead.reach(chunkAt: 400_148, bytes: 400_000)
        #expect(ledger.ranges == [[0, Self.window], [Self.window, 2 * Self.window]], "from where the last one ended")
        #expect(ledger.ranges.allSatisfy { $0[0] % Self.page == 0 })
    }

    @Test func aLongChunkIsMappedThroughTheEndOfTheNext() {
        let ledger = Ledger()
        let ahead = pages(length: 100 * Self.window, ledger)
        ahead.reach(chunkAt: 0, bytes: 3 * Self.window)
        #expect(ledger.ranges == [[0, 6 * Self.window + PagesAhead.slack]])
    }

    @Test func aReaderThatJumpedStartsFromItsOwnPage() {
        let ledger = Ledger()
        let ahead = pages(length: 100 * Self.window, ledger)
        ahead.reach(chunkAt: 0, bytes: 1000)
        // Damage skipped: the reader resumes far ahead.
        ahead.reach(chunkAt: 10 * Self.window + 5000, bytes: 1000)
        #expect(ledger.ranges == [[0, Self.window], [10 * Self.window + Self.page, 11 * Self.window + Self.page]])
    }

    @Test func stopsAtTheFilesEnd() {
        let ledger = Ledger()
        let length = Self.window + 12345
        let ahead = pages(length: length, ledger)
        ahead.reach(chunkAt: 0, bytes: 1000)
        ahead.reach(chunkAt: Self.window - 100, bytes: 100_000)
        ahead.reach(chunkAt: length - 10, bytes: 100_000)
        #expect(ledger.ranges == [[0, Self.window], [Self.window, length]])
    }

    @Test func aWaitingThreadMapsAheadOfTheReaderUpToItsReach() {
        let ledger = Ledger()
        let ahead = pages(length: 100 * Self.window, ledger)
        ahead.reach(chunkAt: 0, bytes: 1000)
        var calls = 0
        while ahead.mapAhead() { calls += 1 }
        #expect(calls == PagesAhead.idleReach / Self.window - 1, "a window at a time, as far as its reach")
        #expect(ledger.ranges.last == [PagesAhead.idleReach - Self.window, PagesAhead.idleReach])
        // The reader then finds its next chunk mapped, and maps nothing itself.
        let before = ledger.ranges.count
        ahead.reach(chunkAt: 3 * Self.window, bytes: 200_000)
        #expect(ledger.ranges.count == before)
        // Having moved on, it lets the waiting thread map further.
        #expect(ahead.mapAhead())
        #expect(ledger.ranges.last == [PagesAhead.idleReach, PagesAhead.idleReach + Self.window])
    }

    @Test func theTwoSidesNeverMapAPageTwice() {
        let ledger = Ledger()
        let length = 40 * Self.window + 777
        let ahead = pages(length: length, ledger)
        var rng = UInt64(9)
        var offset = 0
        while offset < length {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            if rng >> 62 == 0 { _ = ahead.mapAhead() }
            let bytes = 150_000 + Int(rng >> 40) % 100_000
            ahead.reach(chunkAt: offset, bytes: bytes)
            offset += bytes + 4096
        }
        while ahead.mapAhead() {}
        let sorted = ledger.ranges.sorted { $0[0] < $1[0] }
        for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(a[1] <= b[0] + Self.page, "at most the page a range ends in is asked for twice") }
        #expect(sorted.last?[1] == length, "up to the file's end")
    }

    @Test func aKernelThatCannotIsNotAskedAgain() {
        let ledger = Ledger()
        ledger.answer = false
        let ahead = pages(length: 100 * Self.window, ledger)
        ahead.reach(chunkAt: 0, bytes: 1000)
        ahead.reach(chunkAt: 2 * Self.window, bytes: 1000)
        #expect(!ahead.mapAhead())
        #expect(ledger.ranges == [[0, Self.window]])
    }
}
