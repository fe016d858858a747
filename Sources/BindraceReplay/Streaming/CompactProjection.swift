import BindraceTrace

/// One lifetime's projection in the streaming replay: the steps that can
/// change the device's outcome (`DeviceProjection`'s rules, on symbols).
struct CompactProjection {
    /// Steps in id order: a global step's handle, or -(i + 1) for the
    /// lifetime's own step i.
    var refs = PlainBuffer<Int32>()
    /// Drivers that could claim the device, in registration order.
    var candidates = PlainBuffer<Int32>()
    /// Drivers named for the device that never registered (in the window), by name.
    var missing = PlainBuffer<Int32>()
    /// Drivers configured for the device specifically.
    var configured = PlainBuffer<Int32>()

    mutating func clear() {
        refs.removeAll()
        candidates.removeAll()
        missing.removeAll()
        configured.removeAll()
    }
}
