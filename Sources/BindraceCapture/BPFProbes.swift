import BindraceSystem
import BindraceTrace
import CLibBPF
#if canImport(Glibc)
import Glibc
#endif

/// Errors that stop a capture before it starts.
public struct CaptureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// How a program of the object attaches, from its name's prefix.
enum ProgramFamily: String {
    case fentry = "fe_", fexit = "fx_", kprobe = "kp_", kretprobe = "kr_", rawTracepoint = "rt_"

    static func of(_ name: String) -> (ProgramFamily, hook: String)? {
        for family in [ProgramFamily.fentry, .fexit, .kprobe, .kretprobe, .rawTracepoint] where name.hasPrefix(family.rawValue) {
            return (family, String(name.dropFirst(family.rawValue.count)))
        }
        return nil
    }

    var isTracing: Bool { self == .fentry || self == .fexit }
    var isKprobe: Bool { self == .kprobe || self == .kretprobe }
}

/// What the loader needs to know from outside: kernel symbol addresses.
public struct ProbeConfiguration: Sendable {
    public var deviceAttachAsyncHelper: UInt64 = 0
    public var driverAttachAsyncHelper: UInt64 = 0
    /// Enables the throughput self-test program for this process.
    public var markerProcess: UInt32 = 0
    /// Hooks to leave out (by name), e.g. to test the fallback.
    public var skipHooks: Set<String> = []
    /// Families to leave out: "fentry" (fentry and fexit), "kprobe", "raw_tracepoint".
    public var skipFamilies: Set<String> = []
    /// The ring buffer's size in bytes (a power of two, at least a page); 0
    /// keeps the object's 8 MiB.
    public var ringBufferBytes: UInt32 = 0

    public init() {}
}

// libbpf's messages during one load attempt, to learn which program failed.
nonisolated(unsafe) private var libbpfMessages: [String] = []
nonisolated(unsafe) private var libbpfEcho = false

private let libbpfPrint: libbpf_print_fn_t = { level, format, args in
    guard let format, let args else { return 0 }
    var buffer = [CChar](repeating: 0, count: 1 << 16)
    let n = vsnprintf(&buffer, buffer.count, format, args)
    if n > 0 {
        let line = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if level != LIBBPF_DEBUG { libbpfMessages.append(line) }
        if libbpfEcho, level != LIBBPF_DEBUG {
            let bytes = Array(line.utf8)
            _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        }
    }
    return 0
}

/// The embedded BPF object, loaded program by program so that one program the
/// running kernel rejects does not sink the others, and attached hook by hook:
/// fentry/fexit first, the same hook's kprobe/kretprobe otherwise.
public final class BPFProbes {
    private var objectBytes: [UInt8]
    private var object: OpaquePointer?
    private var links: [OpaquePointer] = []
    public private(set) var statuses: [ProbeStatus] = []
    public private(set) var loadRounds = 0

    public var eventsMapFD: Int32 {
        guard let object, let map = bpf_object__find_map_by_name(object, "events") else { return -1 }
        return bpf_map__fd(map)
    }

    public var lostMapFD: Int32 {
        guard let object, let map = bpf_object__find_map_by_name(object, "lost") else { return -1 }
        return bpf_map__fd(map)
    }

    /// Decodes the embedded object.
    public init() throws {
        guard let first = EmbeddedBPFObject.objects.first, let bytes = Base64.decode(first.base64) else {
            throw CaptureError("the embedded BPF object is missing or damaged")
        }
        objectBytes = bytes
    }

    deinit { close() }

    public func close() {
        for link in links { bpf_link__destroy(link) }
        links.removeAll()
        if let object { bpf_object__close(object) }
        object = nil
    }

    /// Loads and attaches everything the running kernel accepts.
    /// When a kprobe cannot attach by name, `alternates` names the
    /// function's compiler clones (foo.isra.0) and `addresses` every address
    /// of the name (a static function defined in several files: the kernel
    /// refuses such an ambiguous name, so each copy is probed by address).
    public func start(
        configuration: ProbeConfiguration, verbose: Bool = false,
        alternates: (String) -> [String] = { _ in [] }, addresses: (String) -> [UInt64] = { _ in [] }
    ) throws {
        libbpfEcho = verbose
        _ = libbpf_set_print(libbpfPrint)
        var disabled = Set<String>()
        var reasons: [String: String] = [:]
        var familyFailures: [String: Int] = [:]
        let maxRounds = 64
        while true {
            loadRounds += 1
            libbpfMessages.removeAll()
            let opened = try open(configuration: configuration, disabled: disabled)
            let err = bpf_object__load(opened)
            if err == 0 {
                object = opened
                break
            }
            let failed = failedPrograms(in: libbpfMessages)
            bpf_object__close(opened)
            let newlyFailed = failed.filter { !disabled.contains($0) }
            if newlyFailed.isEmpty || loadRounds >= maxRounds {
                let last = libbpfMessages.last(where: { !$0.isEmpty }) ?? "error \(err)"
                throw CaptureError("cannot load the BPF object: \(last.trimmedLine)")
            }
            for name in newlyFailed {
                disabled.insert(name)
                let message = libbpfMessages.first { $0.contains("'\(name)'") }?.trimmedLine ?? ""
                let detail = message.split(separator: "': ", maxSplits: 1).last.map(String.init) ?? message
                reasons[name] = "load failed: " + detail
                // A kernel without the program type rejects every program of the
                // family: after two failures not due to a missing symbol, stop
                // trying that family one by one.
                guard let (family, _) = ProgramFamily.of(name) else { continue }
                let key = family.isTracing ? "tracing" : family.isKprobe ? "kprobe" : "raw"
                // Only a rejection before verification (no verifier log, no
                // missing symbol) says something about the whole family.
                let specific = libbpfMessages.contains {
                    $0.contains("'\(name)'") && ($0.contains("failed to find") || $0.contains("BEGIN PROG LOAD LOG"))
                } || libbpfMessages.contains { $0.contains("processed ") && $0.contains(" insns") }
                if !specific { familyFailures[key, default: 0] += 1 }
                if familyFailures[key, default: 0] >= 2 {
                    for other in try programNames() {
                        guard let (f, _) = ProgramFamily.of(other) else { continue }
                        let k = f.isTracing ? "tracing" : f.isKprobe ? "kprobe" : "raw"
                        if k == key, !disabled.contains(other) {
                            disabled.insert(other)
                            reasons[other] = "not loaded: the kernel rejected other \(key) programs"
                        }
                    }
                }
            }
        }
        attach(configuration: configuration, reasons: reasons, alternates: alternates, addresses: addresses)
    }

    private func open(configuration: ProbeConfiguration, disabled: Set<String>) throws -> OpaquePointer {
        var options = bpf_object_open_opts()
        options.sz = MemoryLayout<bpf_object_open_opts>.size
        let opened: OpaquePointer? = "bindrace".withCString { name in
            options.object_name = name
            return objectBytes.withUnsafeBytes { bytes in
                bpf_object__open_mem(bytes.baseAddress, bytes.count, &options)
            }
        }
        guard let opened else {
            throw CaptureError("cannot open the embedded BPF object: \(String(cString: strerror(errno)))")
        }
        var program = bpf_object__next_program(opened, nil)
        while let p = program {
            let name = String(cString: bpf_program__name(p))
            var load = !disabled.contains(name)
            if let (family, hook) = ProgramFamily.of(name) {
                if configuration.skipHooks.contains(hook) { load = false }
                if family.isTracing, configuration.skipFamilies.contains("fentry") { load = false }
                if family.isKprobe, configuration.skipFamilies.contains("kprobe") { load = false }
                if family == .rawTracepoint, configuration.skipFamilies.contains("raw_tracepoint") { load = false }
            }
            if name == "rt_marker_sys_enter", configuration.markerProcess == 0 { load = false }
            _ = bpf_program__set_autoload(p, load)
            program = bpf_object__next_program(opened, p)
        }
        if configuration.ringBufferBytes > 0, let events = bpf_object__find_map_by_name(opened, "events") {
            _ = bpf_map__set_max_entries(events, configuration.ringBufferBytes)
        }
        // The settings live in .rodata (const volatile): set before load.
        var map = bpf_object__next_map(opened, nil)
        while let m = map {
            if String(cString: bpf_map__name(m)).hasSuffix(".rodata") {
                var size = 0
                if let initial = bpf_map__initial_value(m, &size), size >= MemoryLayout<bindrace_config>.size {
                    var bytes = [UInt8](UnsafeRawBufferPointer(start: initial, count: size))
                    var config = bindrace_config()
                    config.device_attach_async_helper = configuration.deviceAttachAsyncHelper
                    config.driver_attach_async_helper = configuration.driverAttachAsyncHelper
                    config.marker_tgid = configuration.markerProcess
                    withUnsafeBytes(of: &config) { c in
                        for i in 0..<c.count { bytes[i] = c[i] }
                    }
                    _ = bytes.withUnsafeBytes { bpf_map__set_initial_value(m, $0.baseAddress, size) }
                }
            }
            map = bpf_object__next_map(opened, m)
        }
        return opened
    }

    /// The programs in the embedded object, by name.
    public func programNames() throws -> [String] {
        let opened = try open(configuration: ProbeConfiguration(), disabled: [])
        defer { bpf_object__close(opened) }
        var names: [String] = []
        var program = bpf_object__next_program(opened, nil)
        while let p = program {
            names.append(String(cString: bpf_program__name(p)))
            program = bpf_object__next_program(opened, p)
        }
        return names
    }

    private func failedPrograms(in messages: [String]) -> [String] {
        var names: [String] = []
        for line in messages {
            let parts = line.split(separator: "prog '", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let end = parts[1].firstIndex(of: "'") else { continue }
            let name = String(parts[1][..<end])
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    private func attach(
        configuration: ProbeConfiguration, reasons: [String: String],
        alternates: (String) -> [String], addresses: (String) -> [UInt64]
    ) {
        guard let object else { return }
        // Programs by hook, in the object's order.
        var hooks: [String] = []
        var byHook: [String: [(ProgramFamily, OpaquePointer, loaded: Bool, name: String)]] = [:]
        var program = bpf_object__next_program(object, nil)
        while let p = program {
            let name = String(cString: bpf_program__name(p))
            if let (family, hook) = ProgramFamily.of(name), name != "rt_marker_sys_enter" || configuration.markerProcess != 0 {
                if byHook[hook] == nil { hooks.append(hook) }
                byHook[hook, default: []].append((family, p, bpf_program__fd(p) >= 0, name))
            }
            program = bpf_object__next_program(object, p)
        }
        statuses = []
        for hook in hooks {
            let programs = byHook[hook] ?? []
            if configuration.skipHooks.contains(hook) {
                statuses.append(ProbeStatus(name: hook, attached: false, detail: "skipped"))
                continue
            }
            let groups: [[(ProgramFamily, OpaquePointer, loaded: Bool, name: String)]] = [
                programs.filter { $0.0 == .rawTracepoint },
                programs.filter { $0.0.isTracing },
                programs.filter { $0.0.isKprobe },
            ].filter { !$0.isEmpty }
            var why: [String] = []
            var attachedHow: String?
            for group in groups {
                if let notLoaded = group.first(where: { !$0.loaded }) {
                    why.append("\(notLoaded.name): " + (reasons[notLoaded.name] ?? "not loaded"))
                    continue
                }
                var made: [OpaquePointer] = []
                var failure: String?
                for entry in group {
                    errno = 0
                    if let link = bpf_program__attach(entry.1) {
                        made.append(link)
                    } else if entry.0.isKprobe, let link = alternates(hook).lazy.compactMap({ symbol in
                        bpf_program__attach_kprobe(entry.1, entry.0 == .kretprobe, symbol)
                    }).first {
                        made.append(link)
                    } else if entry.0.isKprobe, case let byAddress = Self.attachByAddress(entry.1, retprobe: entry.0 == .kretprobe, addresses(hook)),
                              !byAddress.isEmpty {
                        made.append(contentsOf: byAddress)
                    } else {
                        failure = "\(entry.name): attach failed: \(String(cString: strerror(errno)))"
                        break
                    }
                }
                if let failure {
                    for link in made { bpf_link__destroy(link) }
                    why.append(failure)
                    continue
                }
                links.append(contentsOf: made)
                attachedHow = group.map { Self.familyName($0.0) }.joined(separator: "+")
                break
            }
            if let attachedHow {
                statuses.append(ProbeStatus(name: hook, attached: true, detail: attachedHow))
            } else {
                statuses.append(ProbeStatus(name: hook, attached: false, detail: why.joined(separator: "; ")))
            }
        }
    }

    /// One kprobe per address (the kprobe PMU takes an address when no
    /// function name is given).
    static func attachByAddress(_ program: OpaquePointer, retprobe: Bool, _ addresses: [UInt64]) -> [OpaquePointer] {
        var links: [OpaquePointer] = []
        for address in addresses {
            var options = bpf_kprobe_opts()
            options.sz = MemoryLayout<bpf_kprobe_opts>.size
            options.offset = Int(bitPattern: UInt(address))
            options.retprobe = retprobe
            if let link = bpf_program__attach_kprobe_opts(program, nil, &options) { links.append(link) }
        }
        return links
    }

    static func familyName(_ family: ProgramFamily) -> String {
        switch family {
        case .fentry: "fentry"
        case .fexit: "fexit"
        case .kprobe: "kprobe"
        case .kretprobe: "kretprobe"
        case .rawTracepoint: "raw_tracepoint"
        }
    }

    /// Records dropped so far, per possible CPU.
    public func lostCounts() -> [UInt64] {
        let fd = lostMapFD
        let cpus = Int(libbpf_num_possible_cpus())
        guard fd >= 0, cpus > 0 else { return [] }
        var values = [UInt64](repeating: 0, count: cpus)
        var key: UInt32 = 0
        let rc = values.withUnsafeMutableBytes { bpf_map_lookup_elem(fd, &key, $0.baseAddress) }
        return rc == 0 ? values : []
    }
}

extension String {
    var trimmedLine: String {
        var s = Substring(self)
        while let c = s.last, c == "\n" || c == " " { s = s.dropLast() }
        return String(s)
    }
}

/// A small base64 decoder (the embedded object is a base64 literal).
enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        var table = [Int16](repeating: -1, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(c)] = Int16(i)
        }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for c in text.utf8 {
            if c == UInt8(ascii: "=") { break }
            if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { continue }
            let v = table[Int(c)]
            guard v >= 0 else { return nil }
            accumulator = accumulator << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }
}
