import BindraceTrace

/// The step a task is in the middle of (probes it does belong to it).
struct OpenStep: Equatable {
    enum Place: UInt8 { case none, global, own }
    var place: Place = .none
    /// Global step handle, or the device symbol of an own step.
    var handle: Int32 = 0
    /// Own step: its index in the device's lifetime, and that lifetime's generation.
    var ownIndex: Int32 = 0
    var generation: Int32 = 0

    /// Spelled out, as `TaskSteps`'s is: the paged table compares on every write.
    @inline(__always)
    static func == (a: OpenStep, b: OpenStep) -> Bool {
        a.place == b.place && a.handle == b.handle && a.ownIndex == b.ownIndex && a.generation == b.generation
    }
}
