/// The order in which the final cases are built: a device present through
/// the whole trace (never removed) is projected over every global step, and
/// its case (tens of thousands of steps on the 100M-event trace) takes tens
/// of milliseconds to build. Built first, as the report lists them, those
/// cases kept the other threads waiting for work (perf, the final phase:
/// 0.13 s of a single thread at its start). Spread among the others, each
/// is built while the cases built before it are being analysed.
///
/// Results are still reported in the devices' order: each case is handed
/// to the pool with its place (`LifetimeAnalysisPool.add(_:at:)`).
enum FinalBuildOrder {
    /// Positions `0..<heavy.count`, the light ones in order with the heavy
    /// ones (also in order) spread evenly among them, none first.
    static func order(heavy: [Bool]) -> [Int] {
        let light = heavy.indices.filter { !heavy[$0] }
        let heavies = heavy.indices.filter { heavy[$0] }
        guard !heavies.isEmpty, !light.isEmpty else { return Array(heavy.indices) }
        let spacing = max(1, light.count / (heavies.count + 1))
        var out: [Int] = []
        out.reserveCapacity(heavy.count)
        var next = 0
        for (i, position) in light.enumerated() {
            out.append(position)
            if (i + 1) % spacing == 0 && next < heavies.count {
                out.append(heavies[next])
                next += 1
            }
        }
        out.append(contentsOf: heavies[next...])
        return out
    }
}
