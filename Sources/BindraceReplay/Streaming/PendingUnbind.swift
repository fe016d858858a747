import BindraceTrace

/// An unbind seen before a removal: the driver the device had, and who unbound it.
struct PendingUnbind {
    var driver: Int32
    var tid: UInt32
}
