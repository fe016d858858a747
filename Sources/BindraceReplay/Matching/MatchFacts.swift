import BindraceTrace

/// How a driver's *static* id table relates to a device (dynamic ids and
/// driver_override are events of the trace and live in the driver-core model).
public enum StaticMatch: Hashable, Sendable {
    case none
    /// A normal entry matches.
    case match
    /// Only an entry flagged override_only matches (vfio_pci: aliases,
    /// vfio-pci's own catch-all): it counts only while driver_override names
    /// the driver.
    case overrideOnly
}

/// The narrow view of the match tables the replay needs. The replay never
/// parses modules.alias or modprobe.d itself: `SnapshotMatchFacts` adapts
/// BindraceMatch, and tests use `TableMatchFacts`.
public protocol MatchFacts: Sendable {
    /// Whether `driver` (registered by `module`, when known) statically
    /// matches a device with `ids`.
    func staticMatch(driver: String, module: String?, ids: PCIDeviceIDs) -> StaticMatch
    /// `driver_async_probe=` on the kernel command line names the driver (or `*`).
    func asyncProbeForced(driver: String) -> Bool
    /// The modules udev would load for the device's `pci:` modalias, in kmod order.
    func modulesForDevice(ids: PCIDeviceIDs) -> [String]
    /// The vfio variant driver userspace would pick (the `vfio_pci:` alias
    /// with the fewest wildcards), if any.
    func vfioVariant(ids: PCIDeviceIDs) -> String?
    /// For indexing: the normalized module names whose drivers statically
    /// match `ids` with a normal entry, such that `staticMatch` is `.match`
    /// exactly when the driver's normalized module (or name) is among them,
    /// else `.overrideOnly` when the driver is plain vfio-pci or its module
    /// is among `staticOverrideOnlyNames`. nil: not expressible so; callers
    /// ask `staticMatch` driver by driver.
    func staticPlainNames(ids: PCIDeviceIDs) -> Set<String>?
    /// The names matching `ids` override-only, asked only of facts that
    /// gave plain names, and only when those do not settle the match: each
    /// set is an alias lookup of its own (kmod's, of the `pci:` and the
    /// `vfio_pci:` modalias), and a new device's candidates need only the first.
    func staticOverrideOnlyNames(ids: PCIDeviceIDs) -> Set<String>
}

extension MatchFacts {
    public func staticPlainNames(ids: PCIDeviceIDs) -> Set<String>? { nil }
    public func staticOverrideOnlyNames(ids: PCIDeviceIDs) -> Set<String> { [] }

    /// Both sets of names (nil when the facts answer driver by driver).
    public func staticMatchNames(ids: PCIDeviceIDs) -> (plain: Set<String>, overrideOnly: Set<String>)? {
        staticPlainNames(ids: ids).map { ($0, staticOverrideOnlyNames(ids: ids)) }
    }
}

extension StaticMatch {
    /// The match the names (`MatchFacts.staticMatchNames`) describe for a driver (registered by
    /// `module`, when known): a device's names, found once, answer for
    /// every driver asked about it.
    public init(names: (plain: Set<String>, overrideOnly: Set<String>), driver: String, module: String?) {
        self.init(plain: names.plain, overrideOnly: { names.overrideOnly }, driver: driver, module: module)
    }

    /// The same, with the override-only names asked for only if needed.
    public init(plain: Set<String>, overrideOnly: () -> Set<String>, driver: String, module: String?) {
        let wanted = DriverName.normalized(module ?? driver)
        if plain.contains(wanted) {
            self = .match
        } else if DriverName.isPlainVFIO(driver) || overrideOnly().contains(wanted) {
            self = .overrideOnly
        } else {
            self = .none
        }
    }
}

/// Module and driver names compare with `-` and `_` alike (kmod's rule; the
/// driver core's own names keep their spelling, e.g. `vfio-pci`).
public enum DriverName {
    public static func normalized(_ name: String) -> String {
        // Bytes, not Characters: `-` is ASCII, and most names have none.
        guard name.utf8.contains(UInt8(ascii: "-")) else { return name }
        return String(decoding: name.utf8.map { $0 == UInt8(ascii: "-") ? UInt8(ascii: "_") : $0 }, as: UTF8.self)
    }

    /// vfio-pci and the vfio variant drivers (mlx5_vfio_pci, nvgrace_gpu_vfio_pci...).
    /// Compared byte by byte, `-` as `_`: the final analyses ask about every
    /// winner and candidate of every device, and a normalized copy cost an
    /// allocation each time.
    public static func isVFIO(_ name: String) -> Bool {
        inBytes(name) { n in
            same(n, at: 0, "vfio_pci", whole: true) || same(n, at: 0, "pci_stub", whole: true)
                || same(n, at: 0, "vfio_pci_") || endsWith(n, "_vfio_pci")
        }
    }

    /// vfio-pci itself (as opposed to a variant driver).
    public static func isPlainVFIO(_ name: String) -> Bool {
        inBytes(name) { n in same(n, at: 0, "vfio_pci", whole: true) || same(n, at: 0, "pci_stub", whole: true) }
    }

    private static func inBytes(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        if let answer = name.utf8.withContiguousStorageIfAvailable(body) { return answer }
        var copy = name
        return copy.withUTF8(body)
    }

    private static func endsWith(_ name: UnsafeBufferPointer<UInt8>, _ normal: StaticString) -> Bool {
        same(name, at: name.count - normal.utf8CodeUnitCount, normal)
    }

    /// Whether `name`'s bytes from `start` read `normal` (written with
    /// `_`), `-` taken as `_`; `whole`: and nothing after.
    private static func same(_ name: UnsafeBufferPointer<UInt8>, at start: Int, _ normal: StaticString, whole: Bool = false) -> Bool {
        let count = normal.utf8CodeUnitCount
        guard start >= 0, whole ? name.count == start + count : name.count >= start + count else { return false }
        let expected = normal.utf8Start
        for k in 0..<count {
            let byte = name[start + k]
            if (byte == UInt8(ascii: "-") ? UInt8(ascii: "_") : byte) != expected[k] { return false }
        }
        return true
    }
}
