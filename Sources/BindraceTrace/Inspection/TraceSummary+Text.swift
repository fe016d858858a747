extension TraceSummary {
    /// The human-readable form `bindrace inspect` prints.
    public func text(name: String) -> String {
        var out = "trace \(name.terminalSafe)\n"
        out += "  format      \(encoding), \(eventsPerChunk) events per chunk"
        if let complete { out += complete ? ", complete" : ", no end chunk (capture did not finish)" }
        out += "\n"
        out += "  events      \(events) in \(chunks) chunk(s)\n"
        if let first = firstTimestamp, let last = lastTimestamp {
            out += "  time span   \(Self.seconds(first)) .. \(Self.seconds(last)) (\(Self.seconds(durationNanoseconds ?? 0)))\n"
        }
        out += "  tasks       \(tasks) threads in \(processes) processes\n"
        out += "  devices     \(devices.count)" + (devices.isEmpty ? "" : ": " + Self.list(devices)) + "\n"
        out += "  drivers     \(drivers.count)" + (drivers.isEmpty ? "" : ": " + Self.list(drivers)) + "\n"
        for s in snapshots {
            out += "  snapshot    \(s.phase): kernel \(s.kernelRelease.isEmpty ? "?" : s.kernelRelease.terminalSafe), \(s.pciDevices) PCI devices, \(s.loadedModules) modules loaded, probes \(s.probesAttached)/\(s.probesTotal) attached\n"
            if !s.commandLine.isEmpty { out += "              cmdline: \(s.commandLine.terminalSafe)\n" }
            for missing in s.probesMissing { out += "              not attached: \(missing.terminalSafe)\n" }
        }
        if snapshots.isEmpty { out += "  snapshot    none (offline analysis needs --kmod-dir and friends)\n" }
        out += "  by kind\n"
        let width = eventsByKind.keys.map(\.count).max() ?? 0
        for kind in EventKind.allCases {
            guard let count = eventsByKind[kind.name] else { continue }
            out += "    " + kind.name + String(repeating: " ", count: width - kind.name.count) + "  \(count)\n"
        }
        let totalLost = lostEventsByCPU.values.reduce(0, +)
        if totalLost > 0 {
            let perCPU = lostEventsByCPU.sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }.map { "cpu\($0.key) \($0.value)" }
            out += "  lost        \(totalLost) events dropped by the kernel (\(perCPU.joined(separator: ", ")))\n"
        } else {
            out += "  lost        no events dropped by the kernel\n"
        }
        let damage = diagnostics.filter { $0.severity == TraceDiagnostic.Severity.damage.rawValue }
        out += "  damage      " + (damage.isEmpty ? "none" : "\(damage.count) problem(s), see stderr") + "\n"
        return out
    }

    static func seconds(_ ns: UInt64) -> String {
        let whole = ns / 1_000_000_000
        let micros = (ns % 1_000_000_000) / 1000
        let fraction = String(micros)
        return "\(whole)." + String(repeating: "0", count: 6 - fraction.count) + fraction + "s"
    }

    static func list(_ names: [String], limit: Int = 8) -> String {
        let safe = names.map(\.terminalSafe)
        return safe.count <= limit ? safe.joined(separator: ", ") : safe.prefix(limit).joined(separator: ", ") + ", … (\(safe.count - limit) more)"
    }
}
