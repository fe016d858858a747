/// Searches of text bytes eight at a time, for the table files' parsers: a
/// full modules.alias is about 2 MB, and a byte at a time its line and
/// field ends cost five instructions a byte.
///
/// A word's bytes below a bound are flagged by `(x - bound·0x01…) & ~x &
/// 0x80…`: a flag can be wrong only above a true one (a borrow runs
/// upward), so the lowest is always right.
enum ByteScan {
    private static let lows: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    @inline(__always)
    private static func word(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self))
    }

    /// The first `\n` from `start`, or `bytes.count`.
    static func newline(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        while i + 8 <= bytes.count {
            // A newline becomes the zero byte, flagged as below one.
            let x = word(bytes, i) ^ (0x0A &* lows)
            let found = (x &- lows) & ~x & highs
            if found != 0 { return i + found.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < bytes.count && bytes[i] != 0x0A { i += 1 }
        return i
    }

    /// The first blank (space, tab, `\r`: `TextLines.isBlank`) in
    /// `start..<end`, or `end`.
    static func blank(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var i = start
        while i + 8 <= end {
            let x = word(bytes, i)
            let found = (x &- 0x21 &* lows) & ~x & highs
            if found != 0 {
                let at = i + found.trailingZeroBitCount / 8
                // Below 0x21 but not a blank (a control byte): on from the next.
                if TextLines.isBlank(bytes[at]) { return at }
                i = at + 1
                continue
            }
            i += 8
        }
        while i < end && !TextLines.isBlank(bytes[i]) { i += 1 }
        return i
    }

    /// The first of `a`, `b`, `c` in `bytes` from `start`, or `bytes.count`.
    static func first(_ a: UInt8, _ b: UInt8, _ c: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        while i + 8 <= bytes.count {
            let x = word(bytes, i)
            // Each wanted byte becomes a zero byte in its own word.
            let xa = x ^ (UInt64(a) &* lows), xb = x ^ (UInt64(b) &* lows), xc = x ^ (UInt64(c) &* lows)
            let found = ((xa &- lows) & ~xa | (xb &- lows) & ~xb | (xc &- lows) & ~xc) & highs
            if found != 0 { return i + found.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < bytes.count && bytes[i] != a && bytes[i] != b && bytes[i] != c { i += 1 }
        return i
    }

    /// The first byte in `start..<end` that is not a blank, or `end`.
    static func nonBlank(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var i = start
        while i < end && TextLines.isBlank(bytes[i]) { i += 1 }
        return i
    }

    /// Whether every byte is below 0x80.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var any: UInt64 = 0
        var i = 0
        while i + 8 <= bytes.count {
            any |= word(bytes, i)
            i += 8
        }
        while i < bytes.count {
            any |= UInt64(bytes[i])
            i += 1
        }
        return any & highs == 0
    }
}
