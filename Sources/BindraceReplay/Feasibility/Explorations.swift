/// Runs the ordering explorer on one device's steps, through a memo when
/// one is given (the streaming replay), directly otherwise (the baseline).
public enum Explorations {
    public static let defaultBudget = 200_000
    /// The explorer's done-set is one machine word.
    public static let maxSteps = 64

    /// nil when there are more steps than the explorer takes.
    static func run(steps: [Step], context: SimulationContext, device: String, budget: Int, memo: ExplorationMemo?,
                    precedes: (Step, Step) -> Bool, adjust: (inout OrderingExplorer) -> Void = { _ in }) -> OrderingExplorer.Result? {
        guard let explorer = explorer(steps, context, device, budget, precedes, adjust) else { return nil }
        guard let memo else { return explorer.explore() }
        return memo.explore(explorer, device: device)
    }

    /// The device's winners (each once, in no particular order) and whether
    /// the budget ran out, without the witnesses (what a fix's re-check
    /// asks); nil as for `run`.
    static func winners(steps: [Step], context: SimulationContext, device: String, budget: Int, memo: ExplorationMemo?,
                        precedes: (Step, Step) -> Bool, adjust: (inout OrderingExplorer) -> Void = { _ in })
        -> (winners: [String?], exhausted: Bool)? {
        guard let explorer = explorer(steps, context, device, budget, precedes, adjust) else { return nil }
        guard let memo else {
            let result = explorer.explore()
            return (Array(result.winners(device)), result.exhausted)
        }
        return memo.winners(explorer, device: device)
    }

    /// nil when there are more steps than the explorer takes.
    static func explorer(_ steps: [Step], _ context: SimulationContext, _ device: String, _ budget: Int,
                                 _ precedes: (Step, Step) -> Bool, _ adjust: (inout OrderingExplorer) -> Void) -> OrderingExplorer? {
        guard steps.count <= maxSteps else { return nil }
        var explorer = OrderingExplorer(steps: steps, context: context, devices: [device], budget: budget, precedes: precedes)
        adjust(&explorer)
        return explorer
    }
}
