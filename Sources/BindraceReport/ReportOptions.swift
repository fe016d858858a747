/// What a report shows.
public struct ReportOptions: Sendable {
    /// Also list deterministic devices that are not vfio outcomes.
    public var showAll: Bool
    /// ANSI colours (TerminalColors.enabled decides: a terminal, no NO_COLOR).
    public var color: Bool
    public init(showAll: Bool = false, color: Bool = false) {
        self.showAll = showAll
        self.color = color
    }
}
