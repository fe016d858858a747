/// CPU time the hypervisor gave to other guests ("steal", the eighth field
/// of /proc/stat's `cpu` line). On a shared host it can take half of a
/// phase's time, and then a single run's events/s say more about the
/// neighbours than about the code: the harness prints it next to each phase.
struct CPUSteal: Equatable {
    /// Jiffies stolen and in all, over every CPU, since boot.
    var stolen: UInt64
    var total: UInt64

    /// The `cpu` line of /proc/stat's text; nil without one (not Linux, or a kernel without the field).
    init?(procStat text: Substring) {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let fields = line.split(separator: " ").dropFirst().map { UInt64($0) }
        guard fields.count >= 8, !fields.contains(nil) else { return nil }
        let values = fields.map { $0! }
        // Guest time (fields 9 and 10) is already counted in user and nice.
        stolen = values[7]
        total = values[0..<8].reduce(0, +)
    }

    init(stolen: UInt64, total: UInt64) {
        self.stolen = stolen
        self.total = total
    }

    /// The share of CPU time stolen between two readings, 0 to 1 (nil when no time passed).
    static func share(from start: CPUSteal, to end: CPUSteal) -> Double? {
        guard end.total > start.total, end.stolen >= start.stolen else { return nil }
        return Double(end.stolen - start.stolen) / Double(end.total - start.total)
    }

    /// The share as a phase's note: a percentage, or a dash for a phase
    /// shorter than the counters' tick (10 ms of CPU time in all), which
    /// cannot say what was stolen.
    static func note(from start: CPUSteal, to end: CPUSteal) -> String {
        share(from: start, to: end).map { "\(Int(($0 * 100).rounded()))%" } ?? "–"
    }

    /// This machine's counters now (the cpu line comes first); nil where there is no /proc/stat.
    static func now() -> CPUSteal? {
        ProcFile.head("/proc/stat", bytes: 4096).flatMap { CPUSteal(procStat: Substring($0)) }
    }
}
