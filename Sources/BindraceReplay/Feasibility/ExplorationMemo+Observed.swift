// The observed replay by shape: devices of one shape replay their observed
// order alike, so thousands of churned devices cost one replay. The key is
// the exploration's shape and what the replay reads beyond it.
extension ExplorationMemo {
    struct ObservedAnswer {
        /// The winner's number in the shape (0: none).
        var winner: UInt32
        /// Each late override: its step's place among the steps, and the
        /// number of the driver bound when it was written.
        var late: [(step: Int, bound: UInt32)]
    }

    /// What `ObservedReplay` gives for the explorer's steps (`shape`
    /// describes them) with `asyncRuns`; `replay` runs it when no device of
    /// the same shape, order and async runs has.
    func observed(_ shape: Shape, steps: [Step], asyncRuns: [Int], device: String,
                  replay: () -> ObservedReplay) -> ObservedReplay.Summary {
        guard let id = shape.id else { return replay().summary }
        let key = Self.observedKey(id, steps: steps, asyncRuns: asyncRuns, device: device)
        if let hit = observedAnswers[key] {
            observedHits += 1
            return ObservedReplay.Summary(winner: shape.driver(hit.winner),
                                          lateOverrides: hit.late.map { (steps[$0.step], shape.driver($0.bound) ?? "") })
        }
        let summary = replay().summary
        guard observedAnswers.count < capacity, let winner = shape.code(summary.winner) else { return summary }
        var late: [(step: Int, bound: UInt32)] = []
        for (step, bound) in summary.lateOverrides {
            // A step or a driver the shape cannot name: not stored.
            guard let place = steps.firstIndex(where: { $0.id == step.id }), let code = shape.code(bound) else { return summary }
            late.append((place, code))
        }
        observedAnswers[key] = ObservedAnswer(winner: winner, late: late)
        return summary
    }

    /// The shape (`id`), then what the replay reads beyond it: which steps
    /// precede which by their stamps alone (the explorer's relation drops
    /// one side of a tie), and by rank the steps' events, their ids, and
    /// their observed positions with the async runs.
    static func observedKey(_ id: UInt64, steps: [Step], asyncRuns: [Int], device: String) -> [UInt64] {
        let n = steps.count
        var key: [UInt64] = []
        key.reserveCapacity(4 * n + asyncRuns.count + 2)
        key.append(id)
        key.append(UInt64(asyncRuns.count))
        for i in 0..<n {
            var mask: UInt64 = 0
            for j in 0..<n where steps[j].id != steps[i].id && steps[j].stamp.precedesOrEquals(steps[i].stamp) { mask |= 1 << UInt64(j) }
            key.append(mask)
        }
        appendRanks(steps.map(\.event.index), to: &key)
        appendRanks(steps.map(\.id), to: &key)
        appendRanks(steps.map { $0.observedPosition(for: device) } + asyncRuns, to: &key)
        return key
    }

    /// Each value's rank: how many values are below it (equal values, equal ranks).
    static func appendRanks(_ values: [Int], to key: inout [UInt64]) {
        for v in values {
            var rank: UInt64 = 0
            for w in values where w < v { rank += 1 }
            key.append(rank)
        }
    }
}
