import BindraceTrace

/// A device's last lifetime shape, compared word for word before the memo
/// is asked: consecutive lifetimes of a device mostly have one shape.
final class LastShape {
    var words = PlainBuffer<UInt64>(capacity: 32)
    var severity: UInt8 = 0
}
