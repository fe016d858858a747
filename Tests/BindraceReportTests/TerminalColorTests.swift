import BindraceReplay
import BindraceReport
import Testing

@Suite struct TerminalColorTests {
    @Test func coloursOnlyOnATerminalWithoutNoColor() {
        #expect(TerminalColors.enabled(isTerminal: true, noColor: nil))
        #expect(!TerminalColors.enabled(isTerminal: false, noColor: nil), "piped or redirected")
        #expect(!TerminalColors.enabled(isTerminal: true, noColor: ""), "NO_COLOR set to the empty string still counts")
        #expect(!TerminalColors.enabled(isTerminal: true, noColor: "1"))
        #expect(!TerminalColors.enabled(isTerminal: false, noColor: "0"))
    }

    @Test func coloredTextMarksVerdicts() {
        let text = TextReport.render(ReportRenderingTests.result, options: ReportOptions(color: true))
        #expect(text.contains("\u{1b}[1;31mRACE vfio vs native\u{1b}[0m"))
        #expect(text.contains("\u{1b}[1;33mOVERRIDE TOO LATE\u{1b}[0m"))
        // A trace's escape sequence stays text even when the report colours.
        #expect(text.contains("\\x1b[31m"))
        #expect(!text.contains("0000:00:04.0\u{1b}[31m"))
    }

    @Test func plainTextHasNoEscapes() {
        let text = TextReport.render(ReportRenderingTests.result, options: ReportOptions(color: false))
        #expect(!text.contains("\u{1b}"))
        #expect(text == TextReport.render(ReportRenderingTests.result))
    }
}
