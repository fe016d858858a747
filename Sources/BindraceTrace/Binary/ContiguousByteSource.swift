/// A byte source whose remaining bytes already lie in memory that stays
/// valid and unchanged while it is read (a mapped file, a caller's buffer).
/// Readers use that memory in place instead of copying it through `read`.
public protocol ContiguousByteSource: ByteSource {
    /// The bytes `read` would yield from here to the end.
    var contiguousBytes: UnsafeRawBufferPointer { get }
}
