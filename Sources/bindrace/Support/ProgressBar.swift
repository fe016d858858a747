import Dispatch

/// One line on stderr, redrawn at most five times a second: events, rate,
/// time left. Only on a terminal and without --quiet; erased at the end.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0
    private var drawn = false
    private let lock = Monitor()
    /// Events per contributor (traces recorded in parallel share one bar).
    private var parts: [Int: Int] = [:]

    /// nil when progress must not be shown.
    static func make(total: Int, label: String, quiet: Bool) -> ProgressBar? {
        guard !quiet, Terminal.isTerminal(fd: 2), total > 0 else { return nil }
        return ProgressBar(total: total, label: label)
    }

    init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    func update(_ events: Int, part: Int = 0) {
        lock.lock()
        defer { lock.unlock() }
        parts[part] = events
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw >= 200_000_000 else { return }
        lastDraw = now
        Terminal.writeError(Self.line(label: label, done: parts.values.reduce(0, +), total: total, seconds: Double(now - start) / 1e9))
        drawn = true
    }

    /// The line drawn: carriage return, bar, events, rate, time left, and
    /// clear to the end of the line.
    static func line(label: String, done: Int, total: Int, seconds: Double) -> String {
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let width = 24
        let filled = Int(fraction * Double(width))
        let left = rate > 0 ? max(0, Double(total - done) / rate) : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        return "\r\(label) [\(bar)] \(count(done)) events, \(count(Int(rate)))/s, \(Int(left.rounded()))s left \u{1B}[K"
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { Terminal.writeError("\r\u{1B}[K") }
    }

    static func count(_ n: Int) -> String {
        if n >= 1_000_000 { return fixed(Double(n) / 1e6, 1) + "M" }
        if n >= 10_000 { return "\(n / 1000)k" }
        return "\(n)"
    }
}
