import BindraceReplay
import BindraceTrace

/// `bindrace report --format html`: one self-contained page (inline CSS,
/// script and SVG; nothing fetched) with a summary, a card per device that
/// matters and a timeline per trace. Every string that comes from a trace is
/// escaped with `htmlEscaped`; the only script is the page's own.
public enum HTMLReport {
    public static func render(_ result: AnalysisResult, timelines: [TraceTimeline], options: ReportOptions = ReportOptions()) -> String {
        let svgs = timelines.enumerated().map { i, t in
            TimelineSVG(timeline: t, focus: TimelineFocus(result: result, timeline: t, showAll: options.showAll), traceNumber: i)
        }
        let devices = result.devices.filter(\.matters)
        var out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        // No network: nothing may be loaded from anywhere, scripts only inline.
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        out += "<title>bindrace report: \(result.traces.joined(separator: ", ").htmlEscaped)</title>"
        out += "<style>\(HTMLAssets.css)</style></head><body>"
        out += summary(result, shown: devices)
        out += HTMLAssets.legend
        for svg in svgs { out += svg.render() }
        out += cards(devices, options: options, timelines: svgs)
        out += "<footer>bindrace report · \(result.eventCount) events · generated offline; this page loads nothing from the network.</footer>"
        out += "<script>\(HTMLAssets.script)</script></body></html>\n"
        return out
    }

    static func summary(_ result: AnalysisResult, shown: [DeviceResult]) -> String {
        var out = "<header class=\"page\"><h1>bindrace report</h1>"
        out += "<p class=\"meta\">\(result.traces.map { "<span class=\"trace-name\">\($0.htmlEscaped)</span>" }.joined(separator: ", ")) · \(result.eventCount) events · \(result.devices.count) device\(result.devices.count == 1 ? "" : "s")</p>"
        out += "<div class=\"tiles\">"
        for verdict in Verdict.allCases {
            let count = result.devices.filter { $0.verdict == verdict }.count
            guard count > 0 else { continue }
            let first = shown.firstIndex { $0.verdict == verdict }
            let href = first.map { " href=\"#dev-\($0)\"" } ?? ""
            out += "<a class=\"tile \(HTMLDeviceCard.verdictClass(verdict))\"\(href)><span class=\"count\">\(count)</span><span class=\"label\">\(HTMLDeviceCard.verdictTitle(verdict))</span></a>"
        }
        out += "</div>"
        if !result.warnings.isEmpty {
            out += "<div class=\"warnings\"><h2>Warnings</h2><ul>"
            for w in result.warnings { out += "<li>\(w.htmlEscaped)</li>" }
            out += "</ul></div>"
        }
        out += "</header>"
        return out
    }

    static func cards(_ devices: [DeviceResult], options: ReportOptions, timelines: [TimelineSVG]) -> String {
        func isMain(_ d: DeviceResult) -> Bool { TimelineFocus.needsAttention(d, showAll: options.showAll) }
        var main = "", rest = ""
        var restCount = 0
        for (i, d) in devices.enumerated() {
            let card = HTMLDeviceCard(device: d, number: i, timelines: timelines).render()
            if isMain(d) { main += card } else { rest += card; restCount += 1 }
        }
        var out = "<section class=\"devices\"><h2>Devices</h2>"
        out += main.isEmpty ? "<p class=\"none\">No device needs attention.</p>" : "<div class=\"cards\">\(main)</div>"
        if restCount > 0 {
            out += "<details class=\"other-devices\"><summary>\(restCount) other device\(restCount == 1 ? "" : "s") with a deterministic native driver</summary><div class=\"cards\">\(rest)</div></details>"
        }
        out += "</section>"
        return out
    }
}
