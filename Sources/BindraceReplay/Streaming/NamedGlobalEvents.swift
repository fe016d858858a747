/// The events of global steps as the final cases name them, by global
/// handle: named once for a chunk of cases and shared by them (every
/// device's case names the same registrations and ids), and let go when
/// the next chunk starts, so that the texts held stay bounded by what one
/// chunk names.
///
/// A table by handle rather than a dictionary: on the 100M-event trace a
/// chunk names tens of thousands of global steps, and the dictionary,
/// started afresh for each chunk, spent a fifth of the first cases'
/// building in growing and rehashing (perf, the final phase).
struct NamedGlobalEvents {
    private var named: [EventRef?] = []
    /// Handles named in this chunk: the entries to let go at the next.
    private var held: [Int32] = []
    /// Whether the final cases are being built (outside them, events are named afresh).
    private(set) var isActive = false

    /// Starts a chunk of cases, letting go of the previous chunk's names
    /// (the table keeps its size: the next chunk names much the same).
    mutating func startChunk() {
        for h in held { named[Int(h)] = nil }
        held.removeAll(keepingCapacity: true)
        isActive = true
    }

    /// Lets go of every name and the table.
    mutating func stop() {
        named = []
        held = []
        isActive = false
    }

    /// The event named for global step `handle` in this chunk, if any.
    subscript(handle: Int32) -> EventRef? {
        Int(handle) < named.count ? named[Int(handle)] : nil
    }

    /// Keeps `event` as global step `handle`'s name for the rest of the chunk.
    mutating func remember(_ event: EventRef, for handle: Int32) {
        guard isActive else { return }
        if Int(handle) >= named.count { named.append(contentsOf: repeatElement(nil, count: Int(handle) + 1 - named.count)) }
        if named[Int(handle)] == nil { held.append(handle) }
        named[Int(handle)] = event
    }

    /// Global steps named in this chunk.
    var count: Int { held.count }
}
