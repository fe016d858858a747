import BindraceReplay
import BindraceReport
import BindraceTrace
import Foundation
import Testing

@Suite struct HTMLReportTests {
    @Test func escapingCoversMarkupAndControlCharacters() {
        #expect("<a href=\"x\">'&'</a>".htmlEscaped == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect("a\u{1b}[31m\nb".htmlEscaped == "a\\x1b[31m\\x0ab")
        #expect("vfio-pci 0000:00:02.0".htmlEscaped == "vfio-pci 0000:00:02.0")
    }

    @Test func raceReportHasTimelineRaceAndLinkedCard() throws {
        let (result, timeline) = try HTMLScenario.race()
        let html = HTMLReport.render(result, timelines: [timeline])
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg class=\"timeline\" id=\"timeline-0\""))
        // The two racing events, anchored, and the card linking to both.
        #expect(html.contains("id=\"race-0-0-a\""))
        #expect(html.contains("id=\"race-0-0-b\""))
        #expect(html.contains("href=\"#race-0-0-a\""))
        #expect(html.contains("href=\"#race-0-0-b\""))
        #expect(html.contains("class=\"card sev-race\" id=\"dev-0\""))
        #expect(html.contains("race for 0000:00:02.0"))
        // Both modprobe lanes are marked as racing, in the label column and the plot.
        #expect(html.components(separatedBy: "class=\"lane-label r-modprobe racing\"").count - 1 == 2)
        #expect(html.components(separatedBy: "class=\"lane r-modprobe racing\"").count - 1 == 2)
        // The fork edges from the shell that started both modprobes.
        #expect(html.components(separatedBy: "<g class=\"edge\"").count - 1 == 2)
        #expect(html.contains("happens-before (fork)"))
        #expect(html.contains("1 device"))
    }

    @Test func pageIsSelfContained() throws {
        let (result, timeline) = try HTMLScenario.race()
        let html = HTMLReport.render(result, timelines: [timeline])
        let lower = html.lowercased()
        for banned in ["<link", "src=", "@import", "@font-face", "url(http", "https://", "//fonts", "<iframe", "<img"] {
            #expect(!lower.contains(banned), "must not load anything: \(banned)")
        }
        // The only http: string is the SVG namespace name, which is never fetched.
        #expect(lower.components(separatedBy: "http://").count - 1 == lower.components(separatedBy: "http://www.w3.org/2000/svg").count - 1)
        #expect(lower.components(separatedBy: "<script").count - 1 == 1)
        #expect(html.contains("Content-Security-Policy"))
    }

    @Test func hostileTraceRendersAsText() throws {
        let (result, timeline) = try HTMLScenario.read(HTMLScenario.hostileJSONL(), name: "<b>trace</b>.jsonl")
        #expect(result.hasVFIONativeRace, "the hostile names must not stop the analysis from finding the race")
        let html = HTMLReport.render(result, timelines: [timeline])
        let lower = html.lowercased()
        // Exactly the page's own script; no element a trace string could have opened.
        #expect(lower.components(separatedBy: "<script").count - 1 == 1)
        for opened in ["<img", "<svg onload", "<iframe", "</title><script", "<b>trace", "'><svg"] {
            #expect(!lower.contains(opened), "unescaped: \(opened)")
        }
        // …and every hostile string is there, as text.
        for hostile in [HTMLScenario.hostileComm, HTMLScenario.hostileDriver, HTMLScenario.hostileDevice, HTMLScenario.hostileFile] {
            #expect(html.contains(hostile.htmlEscaped), "missing as text: \(hostile)")
            #expect(!html.contains(hostile), "present unescaped: \(hostile)")
        }
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&lt;b&gt;trace&lt;/b&gt;.jsonl"))
    }

    @Test func thousandsOfIdleTasksStayBehindTheToggle() throws {
        let (result, timeline) = try HTMLScenario.read(HTMLScenario.raceWithBusyTasks(3000))
        #expect(timeline.lanes.count >= 3004)
        let focus = TimelineFocus(result: result, timeline: timeline)
        #expect(focus.relevantLanes.count == 4, "swapper, sh and the two modprobes")
        let svg = TimelineSVG(timeline: timeline, focus: focus, traceNumber: 0)
        #expect(svg.laneOrder.prefix(4).allSatisfy { focus.relevantLanes.contains($0) })
        let html = HTMLReport.render(result, timelines: [timeline])
        #expect(html.contains("4 of \(timeline.lanes.count) tasks shown"))
        #expect(html.contains("show \(timeline.lanes.count - 4) other tasks"))
        // Idle lanes are in the page (for the toggle) but hidden by default.
        #expect(html.contains("class=\"lane r-kworker idle\""))
        #expect(html.contains("svg.timeline:not(.show-idle) .idle"))
        // The visible height covers the four lanes only.
        #expect(html.contains("data-h-short=\"\(Int(TimelineSVG.raceRowHeight + TimelineSVG.axisHeight + 4 * TimelineSVG.laneHeight + 8))\""))
        #expect(html.utf8.count < 8_000_000)
    }

    @Test func deviceFilterListsDevicesThatMatter() throws {
        let (result, timeline) = try HTMLScenario.race()
        let html = HTMLReport.render(result, timelines: [timeline])
        #expect(html.contains("<option value=\"0\">0000:00:02.0 (race)</option>"))
        #expect(html.contains("data-d=\" 0 \""))
    }

    @Test func everyBundledScenarioRenders() throws {
        let dir = HTMLScenario.repositoryRoot.appendingPathComponent("traces/scenarios")
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".jsonl") {
            let (result, timeline) = try HTMLScenario.read(HTMLScenario.text(file), name: file)
            let html = HTMLReport.render(result, timelines: [timeline])
            #expect(html.hasSuffix("</html>\n"), "\(file)")
            for (i, r) in TimelineFocus(result: result, timeline: timeline).races.enumerated() {
                #expect(html.contains("id=\"race-0-\(i)-a\"") && html.contains("id=\"race-0-\(i)-b\""), "\(file): race \(r.device)")
            }
        }
    }
}
