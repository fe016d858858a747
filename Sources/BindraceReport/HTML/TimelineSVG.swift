import BindraceReplay
import BindraceTrace

/// The timeline of one trace as inline SVG: a label column and a scrolling
/// plot with one lane per task. Lanes that concern a shown device come
/// first and are visible; the others ("idle") follow, hidden until the page's
/// toggle shows them. Every positioned element carries its compressed and
/// linear x (`data-x`, `data-lx`, and `data-x2`/`data-lx2` for ends) so the
/// page's script can zoom and switch scales without the trace.
public struct TimelineSVG {
    public let timeline: TraceTimeline
    public let focus: TimelineFocus
    /// Distinguishes several traces' ids on one page.
    public let traceNumber: Int

    public static let laneHeight = 36.0
    public static let axisHeight = 34.0
    public static let raceRowHeight = 30.0
    public static let labelWidth = 250.0
    /// Caps that keep a page with thousands of busy tasks loadable.
    public static let maxInstantsPerIdleLane = 200
    public static let maxIdleInstants = 30_000

    public init(timeline: TraceTimeline, focus: TimelineFocus, traceNumber: Int) {
        self.timeline = timeline
        self.focus = focus
        self.traceNumber = traceNumber
    }

    /// Lane display order: the lanes shown by default, by first appearance;
    /// then hidden lanes with a device's events (the device filter reveals
    /// them); then the rest.
    public var laneOrder: [Int] {
        let all = Array(timeline.lanes.indices)
        let shown = all.filter { focus.relevantLanes.contains($0) }
        let devices = all.filter { !focus.relevantLanes.contains($0) && focus.deviceLanes.contains($0) }
        let rest = all.filter { !focus.relevantLanes.contains($0) && !focus.deviceLanes.contains($0) }
        return shown + devices + rest
    }

    /// Anchor id of an event on the page.
    public func eventID(_ index: Int) -> String { "ev-\(traceNumber)-\(index)" }
    /// Anchor id of a race's first or second event (`a` / `b`).
    public func raceID(_ race: Int, _ side: String) -> String { "race-\(traceNumber)-\(race)-\(side)" }

    public func render() -> String {
        let order = laneOrder
        var row: [Int: Int] = [:]
        for (i, lane) in order.enumerated() { row[lane] = i }
        let visibleCount = order.filter { focus.relevantLanes.contains($0) }.count
        var keyTimes: [UInt64] = []
        for lane in order.prefix(visibleCount) {
            for e in timeline.lanes[lane].events { keyTimes.append(timeline.events[e].timestamp) }
        }
        if keyTimes.isEmpty { keyTimes = timeline.events.map(\.timestamp) }
        let scale = TimelineScale(keyTimes: keyTimes, start: timeline.startTime, end: timeline.endTime)
        let plotWidth = scale.width + 60
        // A row above the time axis names each race when there is one.
        let raceRow = focus.races.isEmpty ? 0.0 : Self.raceRowHeight
        let top = raceRow + Self.axisHeight
        func y(_ lane: Int) -> Double { top + Double(row[lane]!) * Self.laneHeight + Self.laneHeight / 2 }
        let shortHeight = top + Double(max(visibleCount, 1)) * Self.laneHeight + 8
        let fullHeight = top + Double(max(order.count, 1)) * Self.laneHeight + 8
        func px(_ t: UInt64) -> String { n(scale.x(t) + 20) }
        func lx(_ t: UInt64) -> String { n(scale.linearX(t) + 20) }
        func devAttr(_ index: Int) -> String {
            guard let ds = focus.eventDevices[index], !ds.isEmpty else { return "" }
            return " data-d=\" \(ds.map(String.init).joined(separator: " ")) \""
        }
        let racingLanes = Set(focus.races.flatMap { [timeline.events[$0.a].lane, timeline.events[$0.b].lane] })
        var raceOf: [Int: (Int, String)] = [:]
        for (i, r) in focus.races.enumerated() {
            raceOf[r.a] = (i, "a")
            raceOf[r.b] = (i, "b")
        }

        // Label column.
        var labels = "<svg class=\"lane-labels\" width=\"\(n(Self.labelWidth))\" height=\"\(n(shortHeight))\" data-h-short=\"\(n(shortHeight))\" data-h-full=\"\(n(fullHeight))\" role=\"img\" aria-label=\"tasks\">"
        if raceRow > 0 { labels += "<text class=\"axis-title race-title\" x=\"8\" y=\"19\">races</text>" }
        labels += "<text class=\"axis-title\" x=\"8\" y=\"\(n(raceRow + 22))\">task (pid)</text>"
        var laneDevices: [Int: Set<Int>] = [:]
        for (index, ds) in focus.eventDevices { laneDevices[timeline.events[index].lane, default: []].formUnion(ds) }
        for lane in order {
            let l = timeline.lanes[lane]
            let top = y(lane) - Self.laneHeight / 2
            let idle = focus.relevantLanes.contains(lane) ? "" : " idle"
            let racing = racingLanes.contains(lane) ? " racing" : ""
            let ds = (laneDevices[lane] ?? []).sorted().map(String.init).joined(separator: " ")
            labels += "<g class=\"lane-label \(TimelineGlyphs.roleClass(l.role))\(idle)\(racing)\" data-lane=\"\(lane)\" data-d=\" \(ds) \">"
            labels += "<rect class=\"lane-bg\" x=\"0\" y=\"\(n(top))\" width=\"\(n(Self.labelWidth))\" height=\"\(n(Self.laneHeight))\"/>"
            labels += "<rect class=\"role-strip\" x=\"0\" y=\"\(n(top + 3))\" width=\"6\" height=\"\(n(Self.laneHeight - 6))\"/>"
            let room = racing.isEmpty ? 26 : 19
            let title = l.title.count > room ? String(l.title.prefix(room - 1)) + "…" : l.title
            labels += "<text x=\"14\" y=\"\(n(top + 16))\" class=\"lane-name\">\(title.htmlEscaped)<title>\(l.comms.joined(separator: " → ").htmlEscaped) (pid \(l.pid), tid \(l.tid))</title></text>"
            labels += "<text x=\"14\" y=\"\(n(top + 29))\" class=\"lane-role\">\(l.role.rawValue) · \(l.events.count) event\(l.events.count == 1 ? "" : "s")</text>"
            if !racing.isEmpty {
                labels += "<g class=\"race-badge\" transform=\"translate(\(n(Self.labelWidth - 58)),\(n(top + 9)))\"><rect width=\"50\" height=\"18\" rx=\"9\"/><text x=\"25\" y=\"13\">RACE</text></g>"
            }
            labels += "</g>"
        }
        labels += "</svg>"

        // Plot.
        var svg = "<svg class=\"timeline\" id=\"timeline-\(traceNumber)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(plotWidth))\" height=\"\(n(shortHeight))\" data-w=\"\(n(plotWidth))\" data-h-short=\"\(n(shortHeight))\" data-h-full=\"\(n(fullHeight))\" role=\"img\" aria-label=\"timeline, one lane per task\">"
        svg += "<defs><marker id=\"arrow-\(traceNumber)\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" class=\"arrowhead\"/></marker></defs>"
        for lane in order {
            let top = y(lane) - Self.laneHeight / 2
            let idle = focus.relevantLanes.contains(lane) ? "" : " idle"
            let racing = racingLanes.contains(lane) ? " racing" : ""
            let ds = (laneDevices[lane] ?? []).sorted().map(String.init).joined(separator: " ")
            svg += "<g class=\"lane \(TimelineGlyphs.roleClass(timeline.lanes[lane].role))\(idle)\(racing)\" data-lane=\"\(lane)\" data-d=\" \(ds) \">"
            svg += "<rect class=\"lane-bg\" x=\"0\" y=\"\(n(top))\" width=\"\(n(plotWidth))\" height=\"\(n(Self.laneHeight))\" data-full=\"1\"/>"
            svg += "<line class=\"lane-axis\" x1=\"0\" x2=\"\(n(plotWidth))\" y1=\"\(n(y(lane)))\" y2=\"\(n(y(lane)))\" data-full=\"1\"/>"
            svg += "</g>"
        }
        // Time axis: a label wherever there is room on the compressed scale.
        svg += "<g class=\"axis\">"
        var lastX = -1000.0
        for t in scale.keys {
            let x = scale.x(t)
            guard x - lastX >= 60 else { continue }
            lastX = x
            svg += "<g class=\"tick\" transform=\"translate(\(n(x + 20)),0)\" data-x=\"\(n(x + 20))\" data-lx=\"\(lx(t))\" data-y=\"0\"><line y1=\"\(n(raceRow + 26))\" y2=\"\(n(fullHeight))\"/><text x=\"3\" y=\"\(n(raceRow + 20))\">\(Self.seconds(t))</text></g>"
        }
        svg += "</g>"

        // Slices.
        svg += "<g class=\"slices\">"
        var idleDrawn = 0
        for s in timeline.slices {
            let start = timeline.events[s.start]
            let endT = s.end.map { timeline.events[$0].timestamp } ?? timeline.endTime
            let yc = y(s.lane)
            let (h, dy): (Double, Double) = s.kind == .driverRegister ? (22, -11) : (12, -6)
            let failed = (s.result ?? 0) != 0 ? " failed" : ""
            let open = s.end == nil ? " open" : ""
            var ds = focus.eventDevices[s.start] ?? []
            if let e = s.end { ds += focus.eventDevices[e] ?? [] }
            let d = ds.isEmpty ? "" : " data-d=\" \(Set(ds).sorted().map(String.init).joined(separator: " ")) \""
            let idle = !focus.relevantLanes.contains(s.lane)
            if idle && focus.eventDevices[s.start] == nil {
                idleDrawn += 1
                if idleDrawn > Self.maxIdleInstants { continue }
            }
            let what = s.kind == .driverRegister
                ? "driver_register \(s.driver)"
                : "probe \(s.device ?? "?") by \(s.driver)"
            let resultText = s.result.map { $0 == 0 ? " → 0" : " → \($0)" } ?? (s.end == nil ? " (no end in the trace)" : "")
            svg += "<rect class=\"slice \(s.kind.rawValue) \(TimelineGlyphs.driverClass(s.driver))\(failed)\(open)\(idle ? " idle" : "")\" y=\"\(n(yc + dy))\" height=\"\(n(h))\" rx=\"3\" x=\"\(px(start.timestamp))\" width=\"\(n(max(scale.x(endT) - scale.x(start.timestamp), 3)))\" data-x=\"\(px(start.timestamp))\" data-x2=\"\(px(endT))\" data-lx=\"\(lx(start.timestamp))\" data-lx2=\"\(lx(endT))\"\(d)><title>\(Self.title([what + resultText, "\(Self.seconds(start.timestamp)) – \(Self.seconds(endT))", timeline.lanes[s.lane].title]))</title></rect>"
        }
        svg += "</g>"

        // Happens-before edges on the causal chains of the decisive events.
        svg += "<g class=\"edges\">"
        for e in focus.edges {
            let from = timeline.events[e.from], to = timeline.events[e.to]
            svg += "<g class=\"edge\"\(devAttr(e.to))><line x1=\"\(px(from.timestamp))\" y1=\"\(n(y(from.lane)))\" x2=\"\(px(to.timestamp))\" y2=\"\(n(y(to.lane)))\" data-x=\"\(px(from.timestamp))\" data-x2=\"\(px(to.timestamp))\" data-lx=\"\(lx(from.timestamp))\" data-lx2=\"\(lx(to.timestamp))\" marker-end=\"url(#arrow-\(traceNumber))\"><title>happens-before (\(e.rule.rawValue)): \(from.label.htmlEscaped) → \(to.label.htmlEscaped)</title></line></g>"
        }
        svg += "</g>"

        // Events.
        svg += "<g class=\"events\">"
        var idleCount: [Int: Int] = [:]
        var idleTotal = 0
        for e in timeline.events where TimelineGlyphs.isDrawnAsInstant(e.kind) || focus.points[e.index] != nil {
            let idle = !focus.relevantLanes.contains(e.lane)
            if idle && focus.eventDevices[e.index] == nil {
                idleCount[e.lane, default: 0] += 1
                idleTotal += 1
                if idleCount[e.lane]! > Self.maxInstantsPerIdleLane || idleTotal > Self.maxIdleInstants { continue }
            }
            let lane = timeline.lanes[e.lane]
            var classes = "ev \(TimelineGlyphs.kindClass(e.kind)) \(TimelineGlyphs.driverClass(e.driver))"
            var id: String? = focus.points[e.index] != nil ? eventID(e.index) : nil
            var extra = ""
            if focus.points[e.index] != nil { classes += " decisive" }
            if let (race, side) = raceOf[e.index] {
                classes += " race-event race-\(side)"
                id = raceID(race, side)
                extra = "<circle class=\"race-ring\" r=\"14\"/><text class=\"race-letter\" x=\"\(side == "a" ? 16 : -27)\" y=\"-9\">\(side.uppercased())</text>"
            }
            if idle { classes += " idle" }
            var title = [e.label, "\(Self.seconds(e.timestamp)) · \(lane.title)"]
            for p in focus.points[e.index] ?? [] { title.append("→ \(p.role)") }
            // A registration or probe an explanation quotes: a dot at its start.
            let shape = TimelineGlyphs.isDrawnAsInstant(e.kind) ? TimelineGlyphs.shape(e.kind) : "<circle r=\"6.5\"/>"
            svg += "<g\(id.map { " id=\"\($0)\"" } ?? "") class=\"\(classes)\" transform=\"translate(\(px(e.timestamp)),\(n(y(e.lane))))\" data-x=\"\(px(e.timestamp))\" data-lx=\"\(lx(e.timestamp))\" data-y=\"\(n(y(e.lane)))\"\(devAttr(e.index))>\(extra)\(shape)<title>\(Self.title(title))</title></g>"
        }
        svg += "</g>"

        // Races: a red dashed link between the two events, the device named on it.
        svg += "<g class=\"races\">"
        for (i, r) in focus.races.enumerated() {
            let a = timeline.events[r.a], b = timeline.events[r.b]
            let device = focus.devices[r.device].device
            let ya = y(a.lane), yb = y(b.lane)
            let label = "race for \(device)"
            let labelWidth = Double(label.count) * 7.4 + 34
            svg += "<g class=\"race-link-svg\" data-d=\" \(r.device) \" data-race=\"\(i)\">"
            svg += "<line class=\"race-line\" x1=\"\(px(a.timestamp))\" y1=\"\(n(ya))\" x2=\"\(px(b.timestamp))\" y2=\"\(n(yb))\" data-x=\"\(px(a.timestamp))\" data-x2=\"\(px(b.timestamp))\" data-lx=\"\(lx(a.timestamp))\" data-lx2=\"\(lx(b.timestamp))\"/>"
            let mx = (scale.x(a.timestamp) + scale.x(b.timestamp)) / 2 + 20
            let mlx = (scale.linearX(a.timestamp) + scale.linearX(b.timestamp)) / 2 + 20
            let labelY = raceRow / 2 + 1
            for (e, ye) in [(a, ya), (b, yb)] {
                svg += "<line class=\"race-guide\" x1=\"\(n(mx))\" y1=\"\(n(labelY + 11))\" x2=\"\(px(e.timestamp))\" y2=\"\(n(ye - 15))\" data-x=\"\(n(mx))\" data-x2=\"\(px(e.timestamp))\" data-lx=\"\(n(mlx))\" data-lx2=\"\(lx(e.timestamp))\"/>"
            }
            svg += "<g class=\"race-label\" transform=\"translate(\(n(mx)),\(n(labelY)))\" data-x=\"\(n(mx))\" data-lx=\"\(n(mlx))\" data-y=\"\(n(labelY))\"><rect x=\"\(n(-labelWidth / 2))\" y=\"-11\" width=\"\(n(labelWidth))\" height=\"22\" rx=\"11\"/><text x=\"0\" y=\"4.5\">⚡ \(label.htmlEscaped)</text></g>"
            svg += "</g>"
        }
        svg += "</g>"
        svg += "</svg>"

        let idleLanes = order.count - visibleCount
        var out = "<section class=\"timeline-block\" data-trace=\"\(traceNumber)\">"
        out += "<h2>Timeline <span class=\"trace-name\">\(timeline.name.htmlEscaped)</span></h2>"
        out += "<div class=\"controls\">"
        out += "<label>Device <select class=\"dev-filter\"><option value=\"\">all devices</option>"
        for (i, d) in focus.devices.enumerated() {
            out += "<option value=\"\(i)\">\(d.device.htmlEscaped)\(d.verdict.isRace ? " (race)" : "")</option>"
        }
        out += "</select></label>"
        out += "<span class=\"zoom\">Zoom <button type=\"button\" class=\"zoom-out\" title=\"zoom out\">−</button><input type=\"range\" class=\"zoom-range\" min=\"-4\" max=\"4\" step=\"0.25\" value=\"0\" aria-label=\"zoom\"><button type=\"button\" class=\"zoom-in\" title=\"zoom in\">+</button><button type=\"button\" class=\"zoom-fit\">fit</button></span>"
        out += "<label><input type=\"checkbox\" class=\"linear-time\"> linear time</label>"
        out += "<label class=\"idle-toggle\"><input type=\"checkbox\" class=\"show-idle\"\(idleLanes == 0 ? " disabled" : "")> show \(idleLanes) other task\(idleLanes == 1 ? "" : "s")</label>"
        out += "<span class=\"lane-count\">\(visibleCount) of \(order.count) tasks shown</span>"
        out += "</div>"
        out += "<div class=\"timeline-frame\"><div class=\"labels-col\">\(labels)</div><div class=\"plot-scroll\">\(svg)</div></div>"
        out += "</section>"
        return out
    }

    /// A tooltip: each line escaped, lines joined by a character reference.
    static func title(_ lines: [String]) -> String {
        lines.map(\.htmlEscaped).joined(separator: "&#10;")
    }

    /// `9.413900s`.
    static func seconds(_ t: UInt64) -> String {
        let s = t / 1_000_000_000
        let micros = String((t % 1_000_000_000) / 1000)
        return "\(s).\(String(repeating: "0", count: 6 - micros.count))\(micros)s"
    }

    /// A coordinate with one decimal.
    func n(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let a = abs(tenths)
        return a % 10 == 0 ? "\(sign)\(a / 10)" : "\(sign)\(a / 10).\(a % 10)"
    }
}
