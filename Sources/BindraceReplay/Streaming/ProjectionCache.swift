import BindraceTrace

/// The part of a device's projection that is not its own steps, kept from
/// one lifetime to the next while nothing it was computed from changed.
/// A class: read in place, never copied.
final class ProjectionCache {
    var valid = false
    var ids: Int32 = -1
    var named: [Int32] = []
    var mayDefer = false
    var windowed = false
    // What it was computed from.
    var driverGeneration = 0
    var idGeneration = 0
    var matchingCount = 0
    var failures = 0
    var registrations = 0
    var removeIDs = 0
    var barriers = 0
    var retries = 0
    var anyAsync = false
    var globals: [Int32] = []
    var candidates: [Int32] = []
    var missing: [Int32] = []
    var configured: [Int32] = []
}
