import BindraceReplay

/// Colours for the text report: only on a terminal, never when the output
/// is piped or redirected, never when `NO_COLOR` is set to anything
/// (https://no-color.org: "regardless of its value").
public enum TerminalColors {
    /// Whether to colour: `isTerminal` is isatty() of the output, `noColor`
    /// the value of NO_COLOR (nil when unset).
    public static func enabled(isTerminal: Bool, noColor: String?) -> Bool {
        isTerminal && noColor == nil
    }

    static let reset = "\u{1b}[0m"
    static let bold = "\u{1b}[1m"
    static let dim = "\u{1b}[2m"

    /// The SGR code for a verdict's title.
    static func code(for verdict: Verdict) -> String {
        if verdict.isRace { return "\u{1b}[1;31m" }
        switch verdict {
        case .overrideTooLate, .unboundWithCandidate, .deferredForever: return "\u{1b}[1;33m"
        case .unexplained, .incomplete, .boundBeforeCapture: return "\u{1b}[1;35m"
        default: return "\u{1b}[32m"
        }
    }

    /// `text` wrapped in `code` when colouring, unchanged otherwise. Callers
    /// pass text already made `terminalSafe`: colours come only from here.
    static func paint(_ text: String, _ code: String, when enabled: Bool) -> String {
        enabled ? code + text + reset : text
    }
}
