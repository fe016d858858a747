import BindraceTrace

/// The part of a device's projection that is not its own steps, kept from
/// one lifetime to the next while nothing it was computed from changed.
/// A plain value in the device's column (`ProjectionCaches`), its lists in
/// the column's shared pool: as a class with array fields it cost three
/// reference-count pairs and as many scattered objects a lifetime.
struct ProjectionCache {
    var valid = false
    /// Times filled (or found unusable): a lifetime's repeat key names the
    /// fill its global part came from.
    var fills: UInt32 = 0
    var ids: Int32 = -1
    var mayDefer = false
    var windowed = false
    var anyAsync = false
    // What it was computed from.
    var driverGeneration = 0
    var idGeneration = 0
    var matchingCount = 0
    var failures = 0
    var registrations = 0
    var removeIDs = 0
    var barriers = 0
    var retries = 0
    /// The number of global steps when it was filled or last found to hold
    /// (failed registrations are compared on their own).
    var heldAt = -1
    /// Its lists in the pool, one after another from `start`.
    var start = 0
    var lengths = Lengths()

    /// The lengths of the lists, in the order they lie in the pool.
    struct Lengths {
        /// The drivers the lifetime names (overrides, binds).
        var named: Int32 = 0
        /// The global steps (sorted handles).
        var globals: Int32 = 0
        var candidates: Int32 = 0
        var missing: Int32 = 0
        var configured: Int32 = 0

        var total: Int { Int(named) + Int(globals) + Int(candidates) + Int(missing) + Int(configured) }
    }
}
