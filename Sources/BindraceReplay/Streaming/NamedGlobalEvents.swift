/// The events of global steps as the final cases name them, by global
/// handle: named once and shared by the cases (every device's case names
/// the same registrations and ids). Names are kept from one chunk of
/// cases to the next while at most `limit` are held, and let go at the
/// start of a chunk once more are, so that the texts held stay bounded.
/// Let go at every chunk, the 100M-event trace's 16 chunks named 109,557
/// global steps' events, 48,701 of them distinct; kept, the final phase
/// runs 7% fewer instructions.
///
/// A table by handle rather than a dictionary: on the 100M-event trace a
/// chunk names tens of thousands of global steps, and the dictionary,
/// started afresh for each chunk, spent a fifth of the first cases'
/// building in growing and rehashing (perf, the final phase).
struct NamedGlobalEvents {
    private var named: [EventRef?] = []
    /// Handles named: the entries to let go.
    private var held: [Int32] = []
    /// Whether the final cases are being built (outside them, events are named afresh).
    private(set) var isActive = false
    /// Names held at most from one chunk to the next (about 200 bytes
    /// each, the event and its text: 13 MB; the 100M-event trace's final
    /// cases name about 49,000 global steps).
    let limit: Int

    init(limit: Int = 1 << 16) {
        self.limit = limit
    }

    /// Starts a chunk of cases, letting go of the names held if there are
    /// more than `limit` (the table keeps its size: the next chunk names
    /// much the same).
    mutating func startChunk() {
        if held.count > limit {
            for h in held { named[Int(h)] = nil }
            held.removeAll(keepingCapacity: true)
        }
        isActive = true
    }

    /// Lets go of every name and the table.
    mutating func stop() {
        named = []
        held = []
        isActive = false
    }

    /// The event named for global step `handle`, if held.
    subscript(handle: Int32) -> EventRef? {
        Int(handle) < named.count ? named[Int(handle)] : nil
    }

    /// Keeps `event` as global step `handle`'s name (at least for the rest of the chunk).
    mutating func remember(_ event: EventRef, for handle: Int32) {
        guard isActive else { return }
        // Grown by doubling: each device's case names a few steps past the
        // last, and growing by those few went through the generic append
        // every time (about 600 instructions a call).
        if Int(handle) >= named.count {
            named.append(contentsOf: repeatElement(nil, count: max(Int(handle) + 1, 2 * named.count, 64) - named.count))
        }
        if named[Int(handle)] == nil { held.append(handle) }
        named[Int(handle)] = event
    }

    /// Global steps' names held.
    var count: Int { held.count }
}
