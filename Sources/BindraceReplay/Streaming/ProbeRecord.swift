import BindraceTrace

/// One probe result of a device by a driver, in order of occurrence.
struct ProbeRecord {
    var driver: Int32
    var result: Int32
}
