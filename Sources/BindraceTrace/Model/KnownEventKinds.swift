/// The kind bytes this version knows, as a 256-bit set: a scan over every
/// record tests one bit instead of switching over the raw values.
@usableFromInline
struct KnownEventKinds: Sendable {
    static let all = KnownEventKinds(EventKind.allCases)

    // Four words rather than a vector or an array: picking one by the byte's
    // top bits compiles to register moves, with nothing spilled or bounds-checked.
    @usableFromInline let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    init(_ kinds: [EventKind]) {
        var words = [UInt64](repeating: 0, count: 4)
        for kind in kinds { words[Int(kind.rawValue >> 6)] |= 1 << (kind.rawValue & 63) }
        (w0, w1, w2, w3) = (words[0], words[1], words[2], words[3])
    }

    /// The same set as 256 flags, for a loop with no registers to spare for
    /// the four words (the reader's tally spilled them, and picked one with
    /// branches at every record). Never freed: one table for the process.
    nonisolated(unsafe) static let flags: UnsafePointer<Bool> = {
        let table = UnsafeMutablePointer<Bool>.allocate(capacity: 256)
        for byte in 0..<256 { table[byte] = all.contains(UInt8(byte)) }
        return UnsafePointer(table)
    }()

    @inlinable
    func contains(_ byte: UInt8) -> Bool {
        let word = byte & 0x80 == 0 ? (byte & 0x40 == 0 ? w0 : w1) : (byte & 0x40 == 0 ? w2 : w3)
        return word >> (byte & 63) & 1 != 0
    }
}
