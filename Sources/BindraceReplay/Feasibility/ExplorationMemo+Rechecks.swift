// Fix re-checks by shape: a re-check changes the lifetime's steps in a way
// its description (`RecheckChange`: which re-check, the drivers it names by
// their numbers in the shape, and whatever else it reads of the steps) fixes, so
// devices of one shape asking the same re-check get the same winners. The
// description is the caller's to make complete; the winners are stored
// only when the shape names every one of them.
extension ExplorationMemo {
    /// The winners `run` gives (nil: it could not say), through the memo.
    func recheck(_ shape: Shape, change: RecheckChange, run: () -> [String?]?) -> [String?]? {
        guard let id = shape.id else { return run() }
        let key = RecheckKey(shape: id, change: change)
        if let hit = recheckAnswers[key] {
            recheckHits += 1
            return hit.map { $0.map(shape.driver) }
        }
        let winners = run()
        guard recheckAnswers.count < capacity else { return winners }
        guard let winners else {
            recheckAnswers[key] = .some(nil)
            return nil
        }
        var codes: [UInt32] = []
        for w in winners {
            guard let code = shape.code(w) else { return winners }
            codes.append(code)
        }
        recheckAnswers[key] = .some(codes)
        return winners
    }
}

extension ExplorationMemo {
    /// A re-check's answer's key: the shape's number and the change.
    struct RecheckKey: Hashable {
        var shape: UInt64
        var change: RecheckChange
    }
}
