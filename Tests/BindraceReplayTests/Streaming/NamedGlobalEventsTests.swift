@testable import BindraceReplay
import BindraceTrace
import Testing

@Suite struct NamedGlobalEventsTests {
    static func event(_ n: Int) -> EventRef {
        EventRef(index: n, timestamp: UInt64(n), pid: 1, tid: 1, comm: "modprobe", kind: .driverRegisterStart, what: "register \(n)")
    }

    @Test func namesNothingUntilAChunkStarts() {
        var named = NamedGlobalEvents()
        #expect(!named.isActive)
        named.remember(Self.event(3), for: 3)
        #expect(named[3] == nil)
        #expect(named.count == 0)
    }

    @Test func keepsNamesAcrossChunksWhileWithinTheLimit() {
        var named = NamedGlobalEvents(limit: 2)
        named.startChunk()
        named.remember(Self.event(2), for: 2)
        named.remember(Self.event(7), for: 7)
        #expect(named[2] == Self.event(2))
        #expect(named[7] == Self.event(7))
        #expect(named[5] == nil)
        #expect(named.count == 2)

        // Two held, the limit: kept for the next chunk.
        named.startChunk()
        #expect(named[2] == Self.event(2))
        #expect(named[7] == Self.event(7))
        #expect(named.count == 2)
    }

    @Test func letsGoAtTheNextChunkOncePastTheLimit() {
        var named = NamedGlobalEvents(limit: 2)
        named.startChunk()
        // A chunk may name more than the limit: its cases share them all.
        for h in [2, 7, 9] { named.remember(Self.event(h), for: Int32(h)) }
        #expect(named[9] == Self.event(9))
        #expect(named.count == 3)

        named.startChunk()
        #expect(named[2] == nil)
        #expect(named[7] == nil)
        #expect(named[9] == nil)
        #expect(named.count == 0)
        named.remember(Self.event(7), for: 7)
        #expect(named[7] == Self.event(7))
        #expect(named.count == 1)
    }

    @Test func growsWithTheHandlesNamed() {
        var named = NamedGlobalEvents(limit: 0)
        named.startChunk()
        named.remember(Self.event(40), for: 40)
        #expect(named[40] == Self.event(40))
        #expect(named[1_000] == nil)
        named.startChunk()
        #expect(named[40] == nil)
        named.remember(Self.event(99), for: 99)
        #expect(named[99] == Self.event(99))
        // Named twice: held once.
        named.remember(Self.event(99), for: 99)
        #expect(named.count == 1)
    }

    @Test func stopLetsGoOfEverything() {
        var named = NamedGlobalEvents()
        named.startChunk()
        named.remember(Self.event(1), for: 1)
        named.stop()
        #expect(!named.isActive)
        #expect(named[1] == nil)
        #expect(named.count == 0)
    }
}
