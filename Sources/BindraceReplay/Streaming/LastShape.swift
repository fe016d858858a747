#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A device's last lifetime shape judged, with its verdict's severity,
/// compared word for word before the memo is asked: a device's consecutive
/// lifetimes mostly have one shape. A value kept in the device's column: as
/// a class it cost a dynamic exclusivity check on every lifetime.
struct LastShape {
    /// Sized by the first key (a device's shapes mostly keep their length):
    /// a start of 32 words grew to 64 (512 bytes a device) for the keys of
    /// the synthetic traces, which are a little longer.
    private var words = PlainBuffer<UInt64>(capacity: 1)
    private var severity: UInt8 = 0

    /// The severity remembered, if `key` is the shape.
    func severity(of key: PlainBuffer<UInt64>) -> UInt8? {
        words.count == key.count && memcmp(words.base, key.base, key.count * 8) == 0 ? severity : nil
    }

    mutating func remember(_ key: PlainBuffer<UInt64>, severity: UInt8) {
        words.assign(copying: key.base, count: key.count)
        self.severity = severity
    }
}
