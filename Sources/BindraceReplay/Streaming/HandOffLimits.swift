/// Clocks handed from one task to a later event of another, waiting for
/// that event, with a bound on how many wait. A hand-off nobody collects
/// (a bind uevent no udev worker takes, a helper's exit nobody waits for)
/// would otherwise be held for the rest of the trace. The bounds are far
/// above what a kernel keeps in flight (udev's queue, unreaped children);
/// past them the oldest is dropped, and an edge to it is lost.
enum HandOffLimits {
    static let uevents = 1 << 16
    static let exits = 1 << 12
    static let keyed = 1 << 16
}
