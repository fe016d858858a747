/// Runs the ordering explorer on one device's steps, through a memo when
/// one is given (the streaming replay), directly otherwise (the baseline).
public enum Explorations {
    public static let defaultBudget = 200_000
    /// The explorer's done-set is one machine word.
    public static let maxSteps = 64

    /// nil when there are more steps than the explorer takes.
    static func run(steps: [Step], context: SimulationContext, device: String, budget: Int, memo: ExplorationMemo?,
                    precedes: (Step, Step) -> Bool, adjust: (inout OrderingExplorer) -> Void = { _ in }) -> OrderingExplorer.Result? {
        guard steps.count <= maxSteps else { return nil }
        var explorer = OrderingExplorer(steps: steps, context: context, devices: [device], budget: budget, precedes: precedes)
        adjust(&explorer)
        guard let memo else { return explorer.explore() }
        return memo.explore(explorer, device: device)
    }
}
