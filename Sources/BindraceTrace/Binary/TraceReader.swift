#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Streams a binary trace chunk by chunk, in memory bounded by the largest
/// chunk (never by the trace's length), recovering every intact chunk of a
/// damaged or truncated file and saying exactly what was lost where.
public struct TraceReader<Source: ByteSource>: TraceItemReader {
    public private(set) var header: TraceHeader
    public private(set) var strings = StringTable()
    /// Losses and warnings so far, in file order; complete once `next()` returned nil.
    public private(set) var diagnostics: [TraceDiagnostic] = []
    public private(set) var statistics = TraceStatistics()
    /// Chunks whose payload checksum another thread has verified already.
    public var verifiedChecksums: (any VerifiedChecksums)?

    private var input: BufferedInput<Source>
    private var expectedSequence: UInt32 = 0
    private var lastTimestamp: UInt64 = 0
    private var outOfOrder = 0
    private var firstOutOfOrderOffset: Int?
    private var unknownKinds: [UInt8: Int] = [:]
    private var done = false

    public init(source: Source) throws(TraceError) {
        input = BufferedInput(source: source)
        try input.fill(TraceFormat.headerSize)
        var damage: [TraceDiagnostic] = []
        let headerBytes = input.withAvailable { Array($0.prefix(TraceFormat.headerSize)) }
        var decoded: Result<TraceHeader, TraceError> = .failure(TraceError(offset: 0, message: "unreadable header"))
        headerBytes.withUnsafeBytes { p in
            decoded = Result { () throws(TraceError) -> TraceHeader in try TraceHeader.decode(p, damage: &damage) }
        }
        header = try decoded.get()
        diagnostics += damage
        // Future headers may be longer; their extra bytes are skipped.
        try input.fill(header.headerSize)
        guard input.available >= header.headerSize else {
            throw TraceError(offset: 0, message: "file ends inside its \(header.headerSize)-byte header")
        }
        input.consume(header.headerSize)
    }

    /// The next intact item, or nil at the end of the input. Only an I/O error
    /// of the source throws; damage is skipped and recorded in `diagnostics`.
    public mutating func next() throws(TraceError) -> TraceItem? {
        var item: TraceItem?
        _ = try visitChunks { visit in
            switch visit {
            case .events(let records): item = .events(Self.knownEvents(of: records))
            case .snapshot(let snapshot, let chunk, let offset): item = .snapshot(snapshot, chunk: chunk, offset: offset)
            }
            return nil
        }
        return item
    }

    /// `TraceItemReader.visitNext(catching:)`: the visitor's error is kept
    /// aside so the reader always moves past the item.
    public mutating func visitNext<E: Error>(catching body: (TraceVisit) throws(E) -> Void) throws(TraceError) -> (found: Bool, failure: E?) {
        var failure: E?
        let found = try visitChunks { visit in
            do throws(E) {
                try body(visit)
            } catch {
                failure = error
            }
            return nil
        }
        return (found, failure)
    }

    /// Hands the next intact item to `body` in place, as `visitNext`, for a
    /// visitor that reads every record of an events chunk and counts them
    /// as it goes (`ChunkTally(records:count:stride:unknown:)`), returning
    /// the count: the reader then takes that count for its statistics and
    /// warnings instead of passing over the records itself. A nil answer
    /// leaves the count to the reader. False at the end of the input.
    public mutating func visitNext(counting body: (TraceVisit) -> ChunkTally?) throws(TraceError) -> Bool {
        try visitChunks(body)
    }

    /// The one chunk-parsing path: skips damage and non-item chunks until an
    /// item is handed to `body` (true) or the input ends (false). `body`
    /// may answer an events visit with the records' count.
    private mutating func visitChunks(_ body: (TraceVisit) -> ChunkTally?) throws(TraceError) -> Bool {
        while !done {
            let offset = input.offset
            try input.fill(TraceFormat.chunkHeaderSize)
            if input.available == 0 {
                finishReading()
                return false
            }
            guard input.available >= TraceFormat.chunkHeaderSize else {
                damage(offset, nil, "truncated chunk header (\(input.available) of \(TraceFormat.chunkHeaderSize) bytes)")
                input.consume(input.available)
                continue
            }
            guard let chunk = input.withAvailable({ ChunkHeader.decode(UnsafeRawBufferPointer(rebasing: $0[0..<TraceFormat.chunkHeaderSize])) }) else {
                try resynchronize(from: offset, reason: "no valid chunk header")
                continue
            }
            guard chunk.payloadWithinLimit else {
                try resynchronize(from: offset, reason: "chunk \(chunk.sequence) declares a payload of \(chunk.payloadLength) bytes, over the \(TraceFormat.maxPayloadLength >> 20) MiB limit")
                continue
            }
            let index = Int(chunk.sequence)
            noteSequence(chunk.sequence, at: offset)
            let total = TraceFormat.chunkHeaderSize + chunk.paddedPayloadLength
            try input.fill(total)
            guard input.available >= total else {
                damage(offset, index, "\(chunk.type.name) chunk truncated: declares \(chunk.payloadLength) payload bytes, \(max(0, input.available - TraceFormat.chunkHeaderSize)) present")
                statistics.bytesSkipped += input.available
                input.consume(input.available)
                continue
            }
            let payloadLength = Int(chunk.payloadLength)
            let verifiedAhead = verifiedChecksums?.verified(offset: offset, payloadLength: chunk.payloadLength, checksum: chunk.payloadChecksum) ?? false
            let checksumOK = verifiedAhead
                || input.withAvailable { p in
                    chunk.matches(payload: UnsafeRawBufferPointer(rebasing: p[TraceFormat.chunkHeaderSize..<(TraceFormat.chunkHeaderSize + payloadLength)]))
                }
            guard checksumOK else {
                damage(offset, index, "\(chunk.type.name) chunk payload checksum mismatch; \(total) bytes skipped")
                statistics.bytesSkipped += total
                input.consume(total)
                continue
            }
            statistics.chunks += 1
            // A copy of the input shares its bytes, so the payload is read in
            // place while the reader's own state changes.
            let window = input
            let visited = window.withAvailable { p in
                visit(chunk, payload: UnsafeRawBufferPointer(rebasing: p[TraceFormat.chunkHeaderSize..<(TraceFormat.chunkHeaderSize + payloadLength)]),
                      offset: offset, body)
            }
            input.consume(total)
            if visited { return true }
        }
        return false
    }

    // MARK: - Chunk contents

    /// Decodes one checksummed payload; true when it was an item handed to `body`.
    private mutating func visit(_ chunk: ChunkHeader, payload: UnsafeRawBufferPointer, offset: Int, _ body: (TraceVisit) -> ChunkTally?) -> Bool {
        let index = Int(chunk.sequence)
        switch chunk.type {
        case .strings:
            decodeStrings(payload, offset: offset, index: index)
            return false
        case .events:
            guard let records = eventRecords(payload, offset: offset, index: index) else { return false }
            let counted = body(.events(records))
            tally(records, offset: offset, counted: counted)
            return true
        case .snapshot:
            do {
                let snapshot = try SnapshotCoding.decode(Array(payload))
                statistics.snapshots += 1
                _ = body(.snapshot(snapshot, chunk: index, offset: offset))
                return true
            } catch {
                damage(offset, index, "snapshot chunk holds invalid snapshot JSON (\(Self.describe(error)))")
                return false
            }
        case .end:
            guard payload.count >= 16 else {
                damage(offset, index, "end chunk is \(payload.count) bytes, expected 16")
                return false
            }
            statistics.endSeen = true
            statistics.declaredEvents = UInt64(littleEndian: payload.loadUnaligned(as: UInt64.self))
            return false
        case .unknown:
            warn(offset, index, "unknown chunk type '\(chunk.type.name)' (\(payload.count) bytes) skipped")
            return false
        }
    }

    private mutating func decodeStrings(_ p: UnsafeRawBufferPointer, offset: Int, index: Int) {
        guard p.count >= 8 else {
            damage(offset, index, "strings chunk is \(p.count) bytes, too short")
            return
        }
        let firstID = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
        let count = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        if firstID > strings.count {
            damage(offset, index, "strings #\(strings.count)..#\(firstID - 1) were lost with a damaged chunk; events using them show placeholders")
            strings.fillGap(upTo: firstID)
        } else if firstID < strings.count {
            warn(offset, index, "strings chunk redefines ids from #\(firstID); earlier definitions kept")
        }
        var cursor = 8
        var skipDefined = strings.count - firstID
        var badUTF8 = 0
        for n in 0..<count {
            guard cursor + 4 <= p.count else {
                damage(offset + TraceFormat.chunkHeaderSize + cursor, index, "strings chunk ends after \(n) of \(count) strings")
                break
            }
            let length = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: cursor, as: UInt32.self)))
            cursor += 4
            guard length <= p.count - cursor else {
                damage(offset + TraceFormat.chunkHeaderSize + cursor - 4, index, "string #\(firstID + n) declares \(length) bytes, past the end of its chunk")
                break
            }
            let bytes = UnsafeRawBufferPointer(rebasing: p[cursor..<(cursor + length)])
            cursor += length
            if skipDefined > 0 {
                skipDefined -= 1
                continue
            }
            if let text = String(validating: bytes, as: UTF8.self) {
                strings.append(text)
            } else {
                badUTF8 += 1
                strings.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        if badUTF8 > 0 {
            warn(offset, index, "\(badUTF8) string(s) are not valid UTF-8; invalid bytes shown as U+FFFD")
        }
    }

    /// The records of an events payload once its count fits its length
    /// (counted into the statistics and warnings once visited, `tally`).
    private mutating func eventRecords(_ p: UnsafeRawBufferPointer, offset: Int, index: Int) -> EventRecords? {
        let recordSize = header.recordSize
        guard let (count, fits) = TraceFormat.eventRecordCount(in: p, recordSize: recordSize) else {
            damage(offset, index, "events chunk is \(p.count) bytes, too short")
            return nil
        }
        guard fits else {
            damage(offset, index, "events chunk declares \(count) records of \(recordSize) bytes but holds \(p.count - 8) bytes")
            return nil
        }
        return EventRecords(chunk: index, offset: offset, count: count, base: p.baseAddress! + 8, stride: recordSize, strings: strings)
    }

    /// What `finishReading` reports of the records (known events, unknown
    /// kinds, timestamps that go back), once they are visited: counted by
    /// the visitor (`counted`), else here.
    private mutating func tally(_ records: EventRecords, offset: Int, counted: ChunkTally?) {
        let tally = counted ?? ChunkTally(records: records.base, count: records.count, stride: records.stride)
        let wentBack = tally.wentBack(after: lastTimestamp)
        if tally.known > 0 { lastTimestamp = tally.lastTimestamp }
        if wentBack > 0 {
            outOfOrder += wentBack
            if firstOutOfOrderOffset == nil { firstOutOfOrderOffset = offset }
        }
        for (kind, n) in tally.unknownKinds { unknownKinds[kind, default: 0] += n }
        statistics.events += UInt64(tally.known)
    }

    /// What `next()` yields for a chunk: its records of known kinds, copied.
    private static func knownEvents(of records: EventRecords) -> EventChunk {
        var events: [RawEvent] = []
        events.reserveCapacity(records.count)
        for i in 0..<records.count where records.isKnown(at: i) {
            events.append(records[i])
        }
        return EventChunk(index: records.chunk, offset: records.offset, events: events)
    }

    // MARK: - Damage

    /// Skips forward, 8 bytes at a time, to the next valid chunk header.
    private mutating func resynchronize(from offset: Int, reason: String) throws(TraceError) {
        input.consume(TraceFormat.alignment)
        var skipped = TraceFormat.alignment
        while true {
            try input.fill(TraceFormat.chunkHeaderSize)
            if input.available < TraceFormat.chunkHeaderSize {
                skipped += input.available
                input.consume(input.available)
                damage(offset, nil, "\(reason); \(skipped) bytes to the end of the file skipped, no further chunk found")
                statistics.bytesSkipped += skipped
                return
            }
            let found = input.withAvailable { p in
                ChunkHeader.decode(UnsafeRawBufferPointer(rebasing: p[0..<TraceFormat.chunkHeaderSize]))
                    .map(\.payloadWithinLimit) ?? false
            }
            if found {
                damage(offset, nil, "\(reason); \(skipped) bytes skipped to the next chunk at offset \(input.offset)")
                statistics.bytesSkipped += skipped
                return
            }
            input.consume(TraceFormat.alignment)
            skipped += TraceFormat.alignment
        }
    }

    private mutating func noteSequence(_ sequence: UInt32, at offset: Int) {
        if sequence > expectedSequence {
            let missing = Int(sequence - expectedSequence)
            statistics.chunksLost += missing
            damage(offset, Int(sequence), missing == 1
                ? "chunk \(expectedSequence) is missing"
                : "chunks \(expectedSequence)..\(sequence - 1) are missing")
        } else if sequence < expectedSequence {
            warn(offset, Int(sequence), "chunk sequence goes back from \(expectedSequence) to \(sequence)")
        }
        expectedSequence = sequence &+ 1
    }

    private mutating func finishReading() {
        done = true
        if !statistics.endSeen {
            warn(input.offset, nil, "no end chunk: the capture did not finish cleanly, so the trace may be cut short")
        } else if statistics.declaredEvents != statistics.events + UInt64(unknownKinds.values.reduce(0, +)),
                  !hasDamage {
            damage(input.offset, nil, "end chunk declares \(statistics.declaredEvents) events, \(statistics.events) read")
        }
        for (kind, count) in unknownKinds.sorted(by: { $0.key < $1.key }) {
            warn(nil, nil, "\(count) event(s) of unknown kind \(kind) skipped (written by a newer bindrace?)")
        }
        if outOfOrder > 0 {
            warn(firstOutOfOrderOffset, nil, "\(outOfOrder) event(s) have a timestamp earlier than the event before; file order is kept as the observed order")
        }
        statistics.lostStrings = strings.lostIDs
    }

    private mutating func damage(_ offset: Int?, _ chunk: Int?, _ message: String) {
        diagnostics.append(TraceDiagnostic(severity: .damage, offset: offset, chunk: chunk, message: message))
    }

    private mutating func warn(_ offset: Int?, _ chunk: Int?, _ message: String) {
        diagnostics.append(TraceDiagnostic(severity: .warning, offset: offset, chunk: chunk, message: message))
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context),
             DecodingError.valueNotFound(_, let context), DecodingError.keyNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return JSONValueError.describe(error)
        }
    }
}

/// Counts a reader keeps while it goes.
public struct TraceStatistics: Hashable, Sendable {
    /// Intact chunks read.
    public var chunks = 0
    /// Chunks known lost from gaps in sequence numbers.
    public var chunksLost = 0
    public var events: UInt64 = 0
    public var snapshots = 0
    public var bytesSkipped = 0
    public var lostStrings = 0
    public var endSeen = false
    /// The total the end chunk declares.
    public var declaredEvents: UInt64 = 0
}
