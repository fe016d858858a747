/// The phases of `bench FILE` run several times in turn (`--rounds`): on a
/// machine whose speed moves by half from one minute to the next, one run's
/// ratio says little, and the phases of one round, run back to back, are the
/// closest pairs there are. Each round's ratios are kept as measured; each
/// phase's row is its median run.
struct BenchRounds {
    /// Per round, the phases in the order they ran.
    private(set) var rounds: [[(BenchPhase, BenchPhase.Measurement)]] = []

    /// The most rounds a run takes: each is a process per phase, and a
    /// mistyped count must not start thousands.
    static let limit = 50

    mutating func append(_ round: [(BenchPhase, BenchPhase.Measurement)]) { rounds.append(round) }

    /// Each phase's median run by time (for an even count, the faster of
    /// the two middle ones: a run that happened, with its own notes), in
    /// the order of the first round.
    var medianRuns: [(BenchPhase, BenchPhase.Measurement)] {
        guard let first = rounds.first else { return [] }
        return first.map { phase, _ in
            let runs = rounds.compactMap { round in round.first { $0.0 == phase }?.1 }.sorted { $0.seconds < $1.seconds }
            return (phase, runs[(runs.count - 1) / 2])
        }
    }

    /// `numerator`'s rate over `denominator`'s in each round that ran both.
    func ratios(_ numerator: BenchPhase, over denominator: BenchPhase) -> [Double] {
        rounds.compactMap { round in
            guard let n = round.first(where: { $0.0 == numerator })?.1.rate,
                  let d = round.first(where: { $0.0 == denominator })?.1.rate, d > 0 else { return nil }
            return n / d
        }
    }

    /// The middle value (the mean of the two middle ones for an even count).
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// One line per ratio the phases allow: every round's value, in the
    /// order they ran, then the median and the range.
    var ratioLines: [String] {
        let pairs: [(String, BenchPhase, BenchPhase)] = [
            ("analysis/scan      (b/a)", .analysis, .scan),
            ("analysis-1t/scan        ", .analysis1, .scan),
            ("analysis/baseline  (b/c)", .analysis, .baseline),
        ]
        return pairs.compactMap { label, n, d in
            let values = ratios(n, over: d)
            guard let median = Self.median(values), let low = values.min(), let high = values.max() else { return nil }
            return "ratio \(label) by round: " + values.map { fixed($0, 3) }.joined(separator: " ")
                + "; median \(fixed(median, 3)), range \(fixed(low, 3))-\(fixed(high, 3))"
        }
    }

    /// Every run of every round, for the planted outcomes and the steal.
    var allRuns: [(BenchPhase, BenchPhase.Measurement)] { rounds.flatMap { $0 } }
}
