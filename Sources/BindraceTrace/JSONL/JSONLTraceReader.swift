#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An item of a JSONL trace, with its line number.
public enum JSONLItem: Sendable {
    case event(Event, line: Int)
    case snapshot(Snapshot, line: Int)
    case flush(line: Int)
}

/// Streams a JSONL trace line by line. A bad line is reported (file and line)
/// and skipped, so everything valid around it is kept; a missing or bad header
/// line stops the reader.
public struct JSONLTraceReader<Source: ByteSource> {
    public private(set) var eventsPerChunk = TraceFormat.defaultEventsPerChunk
    public private(set) var diagnostics: [TraceDiagnostic] = []
    public private(set) var lineNumber = 0
    /// Longest line accepted (a snapshot with its match tables can be large).
    public static var maxLineLength: Int { TraceFormat.maxPayloadLength }

    /// `maxLineLength`, or lower in tests, which reach it without 64 MiB lines.
    private let lineLimit: Int
    private var input: BufferedInput<Source>
    private let decoder = JSONDecoder()
    private var lastTimestamp: UInt64 = 0
    private var outOfOrder = 0
    private var firstOutOfOrderLine: Int?
    private var finished = false

    public init(source: Source) throws(TraceError) {
        try self.init(source: source, lineLimit: Self.maxLineLength)
    }

    init(source: Source, lineLimit: Int) throws(TraceError) {
        self.lineLimit = lineLimit
        input = BufferedInput(source: source)
        while let (number, bytes) = try nextLine() {
            do {
                guard case .header(let perChunk) = try decoder.decode(JSONLLine.self, from: Data(bytes)) else {
                    throw JSONFields.Problem("the first line must be the header {\"format\":\"\(JSONLLine.format)\",\"version\":\"1.0\"}")
                }
                eventsPerChunk = perChunk
                return
            } catch {
                throw TraceError(line: number, message: Self.describe(error))
            }
        }
        throw TraceError(line: max(lineNumber, 1), message: "empty JSONL trace: no header line")
    }

    public var hasDamage: Bool { diagnostics.contains { $0.severity == .damage } }

    public mutating func next() throws(TraceError) -> JSONLItem? {
        while let (number, bytes) = try nextLine() {
            do {
                switch try decoder.decode(JSONLLine.self, from: Data(bytes)) {
                case .header:
                    throw JSONFields.Problem("a second header line")
                case .event(let event):
                    if event.timestamp < lastTimestamp {
                        outOfOrder += 1
                        if firstOutOfOrderLine == nil { firstOutOfOrderLine = number }
                    }
                    lastTimestamp = event.timestamp
                    return .event(event, line: number)
                case .snapshot(let snapshot):
                    return .snapshot(snapshot, line: number)
                case .flush:
                    return .flush(line: number)
                }
            } catch {
                diagnostics.append(TraceDiagnostic(severity: .damage, line: number, message: Self.describe(error) + "; line skipped"))
            }
        }
        if !finished {
            finished = true
            if outOfOrder > 0 {
                diagnostics.append(TraceDiagnostic(severity: .warning, line: firstOutOfOrderLine, message: "\(outOfOrder) event(s) have a timestamp earlier than the event before; file order is kept as the observed order"))
            }
        }
        return nil
    }

    /// The next line that is not blank or a `#` comment, without its newline.
    private mutating func nextLine() throws(TraceError) -> (Int, [UInt8])? {
        while true {
            var scanned = 0
            var newline: Int?
            while newline == nil {
                try input.fill(scanned + 64 * 1024)
                if input.available == scanned {
                    break  // end of input
                }
                // The search stops at the longest line accepted, so how much a
                // source hands over at once (a read, a whole mapped file)
                // never decides whether a line is kept.
                let searched = min(input.available, lineLimit + 1)
                newline = input.withAvailable { p in p[scanned..<searched].firstIndex(of: 0x0A) }
                if newline != nil { break }
                scanned = searched
                if scanned > lineLimit {
                    lineNumber += 1
                    diagnostics.append(TraceDiagnostic(severity: .damage, line: lineNumber, message: "line longer than \(lineLimit) bytes; skipped"))
                    try skipToNewline()
                    scanned = 0
                    newline = nil
                    continue
                }
            }
            let length = newline ?? input.available
            if length == 0 && newline == nil { return nil }
            lineNumber += 1
            var bytes = input.withAvailable { Array($0[0..<length]) }
            input.consume(newline != nil ? length + 1 : length)
            if bytes.last == 0x0D { bytes.removeLast() }
            let firstNonBlank = bytes.firstIndex { $0 != 0x20 && $0 != 0x09 }
            guard let first = firstNonBlank, bytes[first] != UInt8(ascii: "#") else { continue }
            return (lineNumber, bytes)
        }
    }

    private mutating func skipToNewline() throws(TraceError) {
        while true {
            try input.fill(64 * 1024)
            if input.available == 0 { return }
            if let index = input.withAvailable({ $0.firstIndex(of: 0x0A) }) {
                input.consume(index + 1)
                return
            }
            input.consume(input.available)
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty:
            return "not valid JSON" + (context.underlyingError.map { " (\(JSONValueError.describe($0).prefix(120)))" } ?? "")
        case let problem as JSONFields.Problem:
            return problem.description
        case DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty:
            return "not a JSON object"
        default:
            return JSONFields.reason(error)
        }
    }
}
