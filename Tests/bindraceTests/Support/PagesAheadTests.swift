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
        var ahead = pages(length: 100 * Self.window, ledger)
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
        var ahead = pages(length: 100 * Self.window, ledger)
        ahead.reach(chunkAt: 0, bytes: 3 * Self.window)
        #expect(ledger.ranges == [[0, 6 * Self.window + PagesAhead.slack]])
    }

    @Test func aReaderThatJumpedStartsFromItsOwnPage() {
        let ledger = Ledger()
        var ahead = pages(length: 100 * Self.window, ledger)
        ahead.reach(chunkAt: 0, bytes: 1000)
        // Damage skipped: the reader resumes far ahead.
        ahead.reach(chunkAt: 10 * Self.window + 5000, bytes: 1000)
        #expect(ledger.ranges == [[0, Self.window], [10 * Self.window + Self.page, 11 * Self.window + Self.page]])
    }

    @Test func stopsAtTheFilesEnd() {
        let ledger = Ledger()
        let length = Self.window + 12345
        var ahead = pages(length: length, ledger)
        ahead.reach(chunkAt: 0, bytes: 1000)
        ahead.reach(chunkAt: Self.window - 100, bytes: 100_000)
        ahead.reach(chunkAt: length - 10, bytes: 100_000)
        #expect(ledger.ranges == [[0, Self.window], [Self.window, length]])
    }

    @Test func aKernelThatCannotIsNotAskedAgain() {
        let ledger = Ledger()
        ledger.answer = false
        var ahead = pages(length: 100 * Self.window, ledger)
        ahead.reach(chunkAt: 0, bytes: 1000)
        ahead.reach(chunkAt: 2 * Self.window, bytes: 1000)
        #expect(ledger.ranges == [[0, Self.window]])
    }
}
