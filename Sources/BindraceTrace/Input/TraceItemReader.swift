/// What both readers offer (`TraceReader` for the binary form, `TraceInput`
/// for either): items one at a time, or handed over in place.
public protocol TraceItemReader {
    var diagnostics: [TraceDiagnostic] { get }
    var strings: StringTable { get }

    /// The next intact item, or nil at the end of the input.
    mutating func next() throws(TraceError) -> TraceItem?

    /// Hands the next intact item to `body` in place; false at the end of
    /// the input. The reader's own error is thrown; the visitor's is
    /// returned, after the reader has moved past the item.
    mutating func visitNext<E: Error>(catching body: (TraceVisit) throws(E) -> Void) throws(TraceError) -> (found: Bool, failure: E?)
}

extension TraceItemReader {
    /// True when any data was lost (damage diagnostics), as opposed to warnings only.
    public var hasDamage: Bool { diagnostics.contains { $0.severity == .damage } }

    /// Reads the next intact item and hands it to `body` in place; false at
    /// the end of the input. Diagnostics and statistics are exactly those of
    /// `next()`. Throws what `next()` throws, or what `body` throws (after
    /// the reader has moved past the item).
    @inlinable
    public mutating func visitNext(_ body: (TraceVisit) throws(TraceError) -> Void) throws(TraceError) -> Bool {
        let (found, failure) = try visitNext(catching: body)
        if let failure { throw failure }
        return found
    }

    /// The same for a visitor that throws errors of its own.
    @inlinable
    public mutating func visitNext(_ body: (TraceVisit) throws -> Void) throws -> Bool {
        let (found, failure) = try visitNext(catching: body)
        if let failure { throw failure }
        return found
    }
}
