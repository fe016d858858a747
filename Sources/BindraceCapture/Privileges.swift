import BindraceSystem

/// The credentials that decide whether BPF capture may run.
public struct Privileges: Hashable, Sendable {
    public var effectiveUID: UInt32
    /// The effective capability set (CapEff).
    public var effectiveCapabilities: UInt64

    public static let capSysAdmin = 21
    public static let capPerfmon = 38
    public static let capBPF = 39

    public init(effectiveUID: UInt32, effectiveCapabilities: UInt64) {
        self.effectiveUID = effectiveUID
        self.effectiveCapabilities = effectiveCapabilities
    }

    public func has(_ capability: Int) -> Bool { effectiveCapabilities & (1 << UInt64(capability)) != 0 }

    /// Loading tracing programs and reading kernel memory needs CAP_BPF and
    /// CAP_PERFMON; CAP_SYS_ADMIN (what root has) covers both.
    public var allowsCapture: Bool { (has(Self.capBPF) && has(Self.capPerfmon)) || has(Self.capSysAdmin) }

    /// What is missing, for the one-line refusal.
    public var refusal: String {
        var missing: [String] = []
        if !has(Self.capBPF) { missing.append("CAP_BPF") }
        if !has(Self.capPerfmon) { missing.append("CAP_PERFMON") }
        return "capture needs CAP_BPF and CAP_PERFMON, or root (missing: \(missing.joined(separator: ", ")))"
    }

    /// Parses /proc/PID/status ("Uid:" real effective saved fs, "CapEff:" hex).
    public static func parse(status text: String) -> Privileges? {
        var uid: UInt32?
        var caps: UInt64?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("Uid:") {
                let fields = line.dropFirst(4).split(whereSeparator: { $0 == " " || $0 == "\t" })
                if fields.count >= 2 { uid = UInt32(fields[1]) }
            } else if line.hasPrefix("CapEff:") {
                caps = UInt64(line.dropFirst(7).trimmingBlanks, radix: 16)
            }
        }
        guard let uid, let caps else { return nil }
        return Privileges(effectiveUID: uid, effectiveCapabilities: caps)
    }
}

/// Where the capture command learns its privileges: the seam tests replace.
public protocol PrivilegeSource: Sendable {
    func current() -> Privileges?
}

/// Reads /proc/self/status through the file-system seam.
public struct ProcStatusPrivileges: PrivilegeSource {
    public var fileSystem: any FileSystem
    public var path: String

    public init(fileSystem: any FileSystem = LocalFileSystem(), path: String = "/proc/self/status") {
        self.fileSystem = fileSystem
        self.path = path
    }

    public func current() -> Privileges? {
        guard let text = try? fileSystem.readText(at: path, limit: 1 << 20) else { return nil }
        return Privileges.parse(status: text)
    }
}

/// Fixed privileges, for tests.
public struct FixedPrivileges: PrivilegeSource {
    public var privileges: Privileges?
    public init(_ privileges: Privileges?) { self.privileges = privileges }
    public func current() -> Privileges? { privileges }
}

extension Substring {
    var trimmingBlanks: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" { s = s.dropLast() }
        return s
    }
}
