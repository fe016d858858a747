import Synchronization

/// Payload checksums verified by someone other than the reader: the reader
/// skips computing those (`TraceReader.verifiedChecksums`).
public protocol VerifiedChecksums: AnyObject, Sendable {
    /// Whether the payload of the chunk at `offset`, whose header declares
    /// `payloadLength` and `checksum`, was found to match it (false: not
    /// verified). Asked once per chunk, in the order of the file.
    func verified(offset: Int, payloadLength: UInt64, checksum: UInt32) -> Bool
}

/// Verifies the payload checksums of the chunks ahead of the reader of a
/// trace held in memory (a mapped file), one chunk at a time, on a thread
/// that has nothing else to do at the moment (the two stages of the
/// streaming replay each wait for the other now and then). A chunk whose
/// header does not decode or whose payload does not match is left to the
/// reader, which reports it; verification resumes past it once the reader
/// is past it.
///
/// The reader says where it is (`readerReached`); chunks are verified at
/// most `window` bytes ahead of it, which bounds both the pages touched
/// ahead and the verdicts held. (Unchecked: the bytes are read-only and
/// every other field is immutable or behind the mutex.)
public final class ChecksumsAhead: VerifiedChecksums, @unchecked Sendable {
    /// A chunk found to match its checksum.
    struct Verdict: Equatable {
        var offset: Int
        var payloadLength: UInt64
        var checksum: UInt32

        func isFor(offset: Int, payloadLength: UInt64, checksum: UInt32) -> Bool {
            self.offset == offset && self.payloadLength == payloadLength && self.checksum == checksum
        }
    }

    private struct State {
        /// Matching chunks not yet asked about, in the order of the file (a
        /// window's worth: a few dozen).
        var verdicts: [Verdict] = []
        /// The next chunk boundary to verify; nil until the reader is placed.
        var next: Int?
        /// `next` is the chunk the reader is at: skip it, the reader has it.
        var skipNext = false
        var reader = 0
        /// A verification is running (outside the lock).
        var working = false
        /// The chunk at `next` did not verify: wait for the reader to pass it.
        var halted = false
        var done = 0
        var skipped = 0
    }

    private let base: UnsafeRawPointer?
    private let count: Int
    private let window: Int
    private let state = Mutex(State())

    /// `bytes` must stay readable while this is in use.
    public init(bytes: UnsafeRawBufferPointer, window: Int = 4 << 20) {
        base = bytes.baseAddress
        count = bytes.count
        self.window = window
    }

    /// Chunks verified ahead, and of those the ones the reader then skipped.
    public var counts: (verified: Int, used: Int) { state.withLock { ($0.done, $0.skipped) } }

    /// The reader is at the chunk boundary `offset` (the chunk there is its).
    public func readerReached(_ offset: Int) {
        state.withLock { s in
            s.reader = offset
            // Behind the reader (or past a chunk that failed, now passed):
            // continue from where the reader is.
            if s.next.map({ $0 <= offset }) ?? true {
                s.next = offset
                s.skipNext = true
                s.halted = false
            }
        }
    }

    /// Verifies the next chunk ahead; false when there was nothing to do
    /// (the reader not placed yet, the window full, a chunk that did not
    /// verify, the end of the bytes, or another thread verifying).
    public func verifyNext() -> Bool {
        guard let base else { return false }
        let claimed: (offset: Int, skip: Bool)? = state.withLock { s in
            guard !s.working, !s.halted, let next = s.next, next < s.reader + window else { return nil }
            s.working = true
            return (next, s.skipNext)
        }
        guard let (offset, skip) = claimed else { return false }
        let result = Self.verify(base, count, at: offset, skip: skip)
        state.withLock { s in
            s.working = false
            // The reader moved the chain meanwhile: this result is stale.
            guard s.next == offset else { return }
            s.skipNext = false
            guard let (verdict, end) = result else {
                s.halted = true
                return
            }
            if let verdict {
                s.verdicts.append(verdict)
                s.done += 1
            }
            s.next = end
        }
        return true
    }

    public func verified(offset: Int, payloadLength: UInt64, checksum: UInt32) -> Bool {
        state.withLock { s in
            // Verdicts for chunks the reader never reached (it skipped damage) go too.
            s.verdicts.removeFirst(s.verdicts.firstIndex { $0.offset >= offset } ?? s.verdicts.count)
            guard let first = s.verdicts.first, first.isFor(offset: offset, payloadLength: payloadLength, checksum: checksum) else { return false }
            s.verdicts.removeFirst()
            s.skipped += 1
            return true
        }
    }

    /// The chunk at `offset`: its verdict (nil when skipped) and where the
    /// next one starts; nil when it does not decode, does not fit or does
    /// not match.
    private static func verify(_ base: UnsafeRawPointer, _ count: Int, at offset: Int, skip: Bool) -> (Verdict?, Int)? {
        guard offset >= 0, offset + TraceFormat.chunkHeaderSize <= count,
              let header = ChunkHeader.decode(UnsafeRawBufferPointer(start: base + offset, count: TraceFormat.chunkHeaderSize)),
              header.payloadWithinLimit else { return nil }
        let end = offset + TraceFormat.chunkHeaderSize + header.paddedPayloadLength
        guard end <= count else { return nil }
        if skip { return (nil, end) }
        let payload = UnsafeRawBufferPointer(start: base + offset + TraceFormat.chunkHeaderSize, count: Int(header.payloadLength))
        guard header.matches(payload: payload) else { return nil }
        return (Verdict(offset: offset, payloadLength: header.payloadLength, checksum: header.payloadChecksum), end)
    }
}
