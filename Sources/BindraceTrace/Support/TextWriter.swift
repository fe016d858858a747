/// A text written part by part into storage of a size known ahead, numbers
/// included: `JoinedText`'s single allocation for texts whose parts are not
/// all strings yet. A number made a String first, to be joined, cost an
/// allocation and a validation of its own.
public struct TextWriter {
    private let storage: UnsafeMutableBufferPointer<UInt8>
    /// Bytes written so far.
    public private(set) var count = 0

    /// A text of at most `capacity` bytes, written by `write` (which must
    /// stay within it: a precondition stops it otherwise).
    public static func text(capacity: Int, _ write: (inout TextWriter) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var writer = TextWriter(storage: buffer)
            write(&writer)
            return writer.count
        }
    }

    private init(storage: UnsafeMutableBufferPointer<UInt8>) { self.storage = storage }

    public mutating func append(_ text: String) {
        precondition(count + text.utf8.count <= storage.count, "a text past its capacity")
        var text = text
        count = Self.copy(&text, into: storage, at: count)
    }

    /// Copies `text`'s bytes into `storage` from `start`, which has room
    /// for them; returns where they end (`JoinedText` shares it). `inout`
    /// for `withUTF8`: a copy made here cost a retain and release a part.
    @inline(__always)
    static func copy(_ text: inout String, into storage: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        text.withUTF8 { bytes in
            guard let source = bytes.baseAddress, !bytes.isEmpty else { return start }
            (storage.baseAddress! + start).update(from: source, count: bytes.count)
            return start + bytes.count
        }
    }

    public mutating func append(byte: UInt8) {
        precondition(count < storage.count, "a text past its capacity")
        storage[count] = byte
        count += 1
    }

    /// `value` in decimal, as `String(value)` writes it.
    public mutating func append(decimal value: UInt64) {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        precondition(count + digits <= storage.count, "a text past its capacity")
        var v = value
        for k in stride(from: count + digits - 1, through: count, by: -1) {
            storage[k] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: v % 10)
            v /= 10
        }
        count += digits
    }

    /// `value` in four lowercase hex digits (its low 16 bits).
    public mutating func append(hex4 value: UInt16) {
        precondition(count + 4 <= storage.count, "a text past its capacity")
        for k in 0..<4 {
            let nibble = UInt8(truncatingIfNeeded: value >> (12 - 4 * k)) & 0xF
            storage[count + k] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
        }
        count += 4
    }

    /// The most bytes a UInt64 takes in decimal.
    public static let decimalDigits = 20
}
