import BindraceTrace

/// Builds explanations from the explorer's witnesses: for a race, the two
/// steps whose order decides the winner and that no happens-before path
/// joins; for a forced vfio outcome, the orderings that force it.
enum ExplanationBuilder {
    static func race(device: String, result: OrderingExplorer.Result, projection: DeviceProjection) -> Explanation? {
        let outcomes = result.outcomes[device] ?? [:]
        // A total order (an unbound outcome comes deferred and not): the
        // explanation must not depend on a dictionary's order.
        let winners = outcomes.keys.sorted { (describe($0.winner), $0.deferred ? 1 : 0) < (describe($1.winner), $1.deferred ? 1 : 0) }
        guard winners.count >= 2 else { return nil }
        // Prefer a vfio winner against a native one.
        // Two different winners where there are any: an unbound outcome
        // deferred and not is a weaker contrast than two owners.
        var first = winners[0]
        var second = winners.first(where: { $0.winner != first.winner }) ?? winners[1]
        if let v = winners.first(where: { $0.winner.map(DriverName.isVFIO) == true }),
           let n = winners.first(where: { $0.winner.map(DriverName.isVFIO) == false }) {
            first = v
            second = n
        }
        guard let wa = outcomes[first], let wb = outcomes[second] else { return nil }
        // A lifetime has a handful of steps: searched, not hashed (building
        // dictionaries of steps and positions was a fifth of this function).
        let steps = projection.steps
        func step(_ id: Int?) -> Step? { id.flatMap { id in steps.first { $0.id == id } } }
        /// Where each step (by index in `steps`) runs in the witness; nil: it does not.
        func order(_ w: OrderingExplorer.Witness) -> [Int?] { steps.map { w.moves.firstIndex(of: .step($0.id)) } }
        let pa = order(wa), pb = order(wb)
        var pair: (Step, Step)?
        if let a = step(wa.boundBy), let b = step(wb.boundBy), a.id != b.id, a.stamp.isConcurrent(with: b.stamp) {
            pair = (a, b)
        } else {
            // Two steps the two orderings run in opposite order, preferring
            // the steps that did the binding.
            let preferred = [wa.boundBy, wb.boundBy].compactMap { $0 }
            var best: (Step, Step, Int)?
            for i in steps.indices {
                let x = steps[i]
                for j in steps.indices where x.id < steps[j].id && x.stamp.isConcurrent(with: steps[j].stamp) {
                    let y = steps[j]
                    guard let ax = pa[i], let ay = pa[j], let bx = pb[i], let by = pb[j], (ax < ay) != (bx < by) else { continue }
                    let score = (preferred.contains(x.id) ? 1 : 0) + (preferred.contains(y.id) ? 1 : 0)
                    if best == nil || score > best!.2 { best = (ax < ay ? x : y, ax < ay ? y : x, score) }
                }
            }
            if let best { pair = (best.0, best.1) }
        }
        if pair == nil, let a = step(wa.boundBy), let b = step(wb.boundBy), a.id != b.id,
           wa.moves.contains(where: { if case .asyncProbe = $0 { true } else { false } })
            || wb.moves.contains(where: { if case .asyncProbe = $0 { true } else { false } }) {
            // The steps are ordered; the async probe one of them queued is not.
            let (early, late) = a.stamp.precedesOrEquals(b.stamp) ? (a, b) : (b, a)
            let points = [
                Explanation.Point(event: a.event, role: "leads to \(describe(first.winner)) on \(device)"),
                Explanation.Point(event: b.event, role: "leads to \(describe(second.winner)) on \(device)"),
            ]
            let reason = "\(early.event.what) only queues an asynchronous probe: a kworker runs it at any time until the next async_synchronize, and no edge makes it run before \(late.event.what) (\(late.event.taskText)); the driver probing asynchronously can be overtaken"
            return Explanation(summary: "\(device) goes to \(describe(first.winner)) or to \(describe(second.winner)) depending on when an asynchronous probe runs.", points: points, reason: reason)
        }
        guard let (a, b) = pair else { return nil }
        let firstWinner = describe(first.winner), secondWinner = describe(second.winner)
        let summary = JoinedText.join(
            device, " goes to ", firstWinner, " or to ", secondWinner, " depending on which of two unordered events comes first.")
        let points = [
            Explanation.Point(event: a.event, role: JoinedText.join("first in an ordering where ", device, " ends with ", firstWinner)),
            Explanation.Point(event: b.event, role: JoinedText.join("first in an ordering where ", device, " ends with ", secondWinner)),
        ]
        let reason = a.event.pid == b.event.pid
            ? JoinedText.join(a.event.taskText, " and ", b.event.taskText, " are threads of one process with no ordering between these events")
            : JoinedText.join(
                "no happens-before path joins them: ", a.event.taskText, " and ", b.event.taskText,
                " run independently — no fork, exit/wait, module request, async, workqueue or udev edge orders one before the other, so the kernel may run either first")
        return Explanation(summary: summary, points: points, reason: reason)
    }

    /// For one winner in every ordering: the step that binds it and, for each
    /// registration of a candidate on the other side (native against vfio),
    /// why it cannot come first.
    static func forced(device: String, winner: String, result: OrderingExplorer.Result, projection: DeviceProjection) -> Explanation? {
        guard let witness = (result.outcomes[device] ?? [:]).sorted(by: { !$0.key.deferred && $1.key.deferred }).first?.value,
              let bindID = witness.boundBy, let bind = projection.steps.first(where: { $0.id == bindID }) else { return nil }
        var points = [Explanation.Point(event: bind.event, role: "binds \(device) to \(winner)")]
        var reasons: [String] = []
        for step in projection.steps {
            guard case .driverRegister(let driver, _, _) = step.action, driver != winner,
                  DriverName.isVFIO(driver) != DriverName.isVFIO(winner) else { continue }
            if bind.stamp.precedesOrEquals(step.stamp) {
                points.append(.init(event: step.event, role: "registers \(driver) only after \(winner) holds \(device)"))
                let how = bind.event.tid == step.event.tid ? "program order in \(bind.event.taskText)" : "a happens-before path from \(bind.event.taskText) to \(step.event.taskText)"
                reasons.append("\(bind.event.what) at \(bind.event.timeText) happens before \(step.event.what) at \(step.event.timeText) (\(how))")
            } else if let o = projection.steps.first(where: {
                if case .setOverride(_, let d?) = $0.action { return d == winner && $0.stamp.precedesOrEquals(step.stamp) }
                return false
            }) {
                points.append(.init(event: step.event, role: "registers \(driver) after the override excludes it"))
                reasons.append("\(o.event.what) happens before \(step.event.what)")
            } else {
                points.append(.init(event: step.event, role: "registers \(driver), which never gets to probe \(device) first"))
            }
        }
        let reason = reasons.isEmpty
            ? "no other candidate can reach \(device) before \(winner) in any ordering"
            : reasons.joined(separator: "; ")
        return Explanation(summary: "\(device) goes to \(winner) in every ordering.", points: points, reason: reason)
    }

    static func describe(_ winner: String?) -> String { winner ?? "no driver" }
}
