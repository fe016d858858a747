@testable import BindraceTrace
import Dispatch
import Synchronization
import Testing

/// Checksums verified ahead of the reader change nothing the reader makes
/// of a trace, intact or damaged; they only spare it the computation.
@Suite struct ChecksumsAheadTests {
    final class Flag: Sendable {
        let value = Atomic(false)
    }

    /// `disorder`: timestamps that go back now and then, within chunks and across them.
    static func trace(events: Int = 60, perChunk: Int = 4, disorder: Bool = false) throws -> [UInt8] {
        var steps: [RandomTrace.Step] = [.snapshot(Snapshot(kernelRelease: "6.1.0-test"))]
        for i in 0..<events {
            let timestamp: UInt64 = disorder ? UInt64(1000 + (i * 7919) % 97) : UInt64(1000 + i)
            let event = Event(timestamp: timestamp, cpu: 0, pid: UInt32(100 + i % 7), comm: "worker-\(i % 5)", payload: .moduleLoad(module: "mod\(i)"))
            steps.append(.event(event))
        }
        return try TraceBytes.binary(steps, eventsPerChunk: perChunk)
    }

    /// Reads `bytes` by visits, with the verifier run `piecesPerVisit` times
    /// before each visit (as a waiting thread would between the reader's
    /// chunks), or not at all.
    static func read(_ bytes: [UInt8], piecesPerVisit: Int?, window: Int = 1 << 20) -> (ReadTranscript, ChecksumsAhead?) {
        bytes.withUnsafeBytes { region in
            let ahead = piecesPerVisit.map { _ in ChecksumsAhead(bytes: region, window: window) }
            return (transcript(region, ahead: ahead, piecesPerVisit: piecesPerVisit ?? 0), ahead)
        }
    }

    /// What the reader makes of `region` with `ahead`, told where it is at
    /// each visit and run `piecesPerVisit` times before it.
    static func transcript(_ region: UnsafeRawBufferPointer, ahead: ChecksumsAhead?, piecesPerVisit: Int) -> ReadTranscript {
        var transcript = ReadTranscript()
        var reader: TraceReader<MemoryRegionSource>
        do {
            reader = try TraceReader(source: MemoryRegionSource(region))
        } catch {
            transcript.failure = error
            return transcript
        }
        reader.verifiedChecksums = ahead
        do {
            while try reader.visitNext({ visit in
                switch visit {
                case .events(let records): ahead?.readerReached(records.offset)
                case .snapshot(_, _, let offset): ahead?.readerReached(offset)
                }
                for _ in 0..<piecesPerVisit { _ = ahead?.verifyNext() }
                transcript.items.append(ReadTranscript.Item(visit))
            }) {}
        } catch {
            transcript.failure = error
        }
        transcript.diagnostics = reader.diagnostics
        transcript.statistics = reader.statistics
        transcript.strings = reader.strings.strings
        return transcript
    }

    @Test func intactTraceReadsTheSameWithMostChecksumsSkipped() throws {
        let bytes = try Self.trace()
        let (plain, _) = Self.read(bytes, piecesPerVisit: nil)
        let (spared, ahead) = Self.read(bytes, piecesPerVisit: 3)
        #expect(spared == plain)
        let counts = try #require(ahead?.counts)
        // Every chunk after the first the reader reported was verified ahead and skipped.
        let chunks = ChunkSurgery(bytes).chunks.count
        #expect(counts.used == counts.verified)
        #expect(counts.used >= chunks - 4, "\(counts) of \(chunks) chunks")
    }

    /// Timestamps going back and kinds this version does not know, in
    /// chunks verified ahead: the reader's counts and warnings are the same.
    @Test func disorderAndUnknownKindsReadTheSame() throws {
        var surgery = ChunkSurgery(try Self.trace(events: 80, disorder: true))
        // A kind no version knows, in a few events chunks.
        let events = surgery.chunks.indices.filter { surgery.chunks[$0].type == .events }
        for (n, c) in events.enumerated() where n % 5 == 2 {
            surgery.chunks[c].payload[8 + RawEvent.size + RecordView.Offset.kind] = 0xEE
        }
        let bytes = surgery.bytes()
        let (plain, _) = Self.read(bytes, piecesPerVisit: nil)
        let (spared, ahead) = Self.read(bytes, piecesPerVisit: 3)
        #expect(spared == plain)
        #expect(plain.diagnostics.contains { $0.message.contains("earlier than the event before") })
        #expect(plain.diagnostics.contains { $0.message.contains("of unknown kind 238") })
        let counts = try #require(ahead?.counts)
        #expect(counts.used >= events.count - 4, "\(counts)")
    }

    @Test func aWindowBoundsTheWorkAhead() throws {
        let bytes = try Self.trace()
        bytes.withUnsafeBytes { region in
            let ahead = ChecksumsAhead(bytes: region, window: 200)
            #expect(!ahead.verifyNext(), "nothing before the reader is placed")
            ahead.readerReached(ChunkSurgery(bytes).offsets[0])
            var pieces = 0
            while ahead.verifyNext() { pieces += 1 }
            // The reader's own chunk is passed over, then chunks up to 200 bytes past it.
            let inWindow = ChunkSurgery(bytes).offsets.filter { $0 < ChunkSurgery(bytes).offsets[0] + 200 }.count
            #expect(pieces == inWindow)
            #expect(ahead.counts.verified == inWindow - 1)
        }
    }

    /// A flipped byte anywhere: the same transcript as without verification
    /// ahead, which stops at the damaged chunk and goes on past it once the
    /// reader has passed it.
    @Test func everyFlippedByteReadsTheSame() throws {
        let bytes = try Self.trace(events: 24)
        for offset in TraceFormat.headerSize..<bytes.count {
            var damaged = bytes
            damaged[offset] ^= 0x5A
            let (plain, _) = Self.read(damaged, piecesPerVisit: nil)
            let (spared, _) = Self.read(damaged, piecesPerVisit: 2)
            #expect(spared == plain, "byte \(offset)")
        }
    }

    @Test func aDamagedChunkIsLeftToTheReaderAndVerificationResumesPastIt() throws {
        let bytes = try Self.trace()
        var surgery = ChunkSurgery(bytes)
        let offsets = surgery.offsets
        // Damage the payload of an events chunk in the middle, past its checksum.
        let target = surgery.chunks.indices.filter { surgery.chunks[$0].type == .events }[5]
        var damaged = surgery.bytes()
        damaged[offsets[target] + TraceFormat.chunkHeaderSize + 9] ^= 0xFF
        surgery = ChunkSurgery(damaged)
        let (plain, _) = Self.read(damaged, piecesPerVisit: nil)
        let (spared, ahead) = Self.read(damaged, piecesPerVisit: 3)
        #expect(spared == plain)
        #expect(plain.diagnostics.contains { $0.severity == .damage && $0.offset == offsets[target] })
        // Chunks past the damaged one were verified ahead as well.
        let counts = try #require(ahead?.counts)
        #expect(counts.used >= offsets.count - 8, "\(counts)")
    }

    /// With a second thread verifying while the reader reads, as in the
    /// streaming replay: the same transcript.
    @Test func aConcurrentVerifierChangesNothing() throws {
        let bytes = try Self.trace(events: 4_000, perChunk: 16)
        let (plain, _) = Self.read(bytes, piecesPerVisit: nil)
        for _ in 0..<5 {
            let transcript: ReadTranscript = bytes.withUnsafeBytes { region in
                let ahead = ChecksumsAhead(bytes: region, window: 4096)
                let done = Flag()
                let group = DispatchGroup()
                DispatchQueue.global().async(group: group) {
                    while !done.value.load(ordering: .acquiring) { _ = ahead.verifyNext() }
                }
                let transcript = Self.transcript(region, ahead: ahead, piecesPerVisit: 0)
                done.value.store(true, ordering: .releasing)
                group.wait()
                return transcript
            }
            #expect(transcript == plain)
        }
    }
}
