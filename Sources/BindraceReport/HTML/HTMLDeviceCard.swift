import Foundation
import BindraceReplay
import BindraceTrace

/// One device's card: verdict, who raced, candidates, observed and feasible
/// winners, the explanation with links to its events on the timeline, and the
/// checked fixes.
struct HTMLDeviceCard {
    let device: DeviceResult
    let number: Int
    /// Where each of the device's explanation points and races is drawn.
    let timelines: [TimelineSVG]

    static func verdictTitle(_ v: Verdict) -> String {
        switch v {
        case .raceVFIOVsNative: "RACE vfio vs native"
        case .raceVFIOVsVFIO: "RACE vfio-pci vs variant"
        case .raceNativeVsNative: "RACE native vs native"
        case .raceBoundVsUnbound: "RACE bound vs unbound"
        case .overrideTooLate: "override too late"
        case .unboundWithCandidate: "unbound, a driver could claim it"
        case .deferredForever: "deferred forever"
        case .unexplained: "unexplained"
        case .incomplete: "incomplete (events lost)"
        case .boundBeforeCapture: "bound before capture"
        case .deterministic: "deterministic"
        }
    }

    static func verdictClass(_ v: Verdict) -> String {
        if v.isRace { return "sev-race" }
        switch v {
        case .overrideTooLate, .unboundWithCandidate, .deferredForever: return "sev-warn"
        case .unexplained, .incomplete, .boundBeforeCapture: return "sev-unknown"
        default: return "sev-ok"
        }
    }

    static func chip(_ driver: String?) -> String {
        guard let driver else { return "<span class=\"chip nodrv\">unbound</span>" }
        return "<span class=\"chip \(TimelineGlyphs.driverClass(driver))\">\(driver.htmlEscaped)</span>"
    }

    /// The link to an explanation point: a race event's anchor when it is one.
    func link(for ref: EventRef) -> (href: String, isRace: Bool)? {
        for svg in timelines {
            guard let e = svg.timeline.event(for: ref) else { continue }
            for (i, r) in svg.focus.races.enumerated() where svg.focus.devices[r.device].device == device.device {
                if r.a == e.index { return ("#" + svg.raceID(i, "a"), true) }
                if r.b == e.index { return ("#" + svg.raceID(i, "b"), true) }
            }
            return ("#" + svg.eventID(e.index), false)
        }
        return nil
    }

    func render() -> String {
        let d = device
        var out = "<article class=\"card \(Self.verdictClass(d.verdict))\" id=\"dev-\(number)\" data-dev=\"\(number)\">"
        out += "<header><span class=\"verdict-badge\">\(Self.verdictTitle(d.verdict).htmlEscaped)</span>"
        out += "<h3>\(d.device.htmlEscaped)\(d.ids.isEmpty ? "" : " <span class=\"ids\">[\(d.ids.htmlEscaped)]</span>")</h3>"
        if d.provenAcrossBoots { out += "<span class=\"proven\">proven: boots disagree</span>" }
        out += "</header>"

        // Who raced: the two tasks, each with the driver its event leads to.
        if d.verdict.isRace, let e = d.explanation, e.points.count >= 2 {
            let winners = d.feasibleWinners
            let sides = [(e.points[0], "a"), (e.points[1], "b")]
            out += "<div class=\"race-visual\">"
            for (i, (p, side)) in sides.enumerated() {
                let leadsTo = Self.leadsTo(role: p.role, winners: winners)
                let href = link(for: p.event)?.href ?? ""
                out += "<a class=\"race-task race-task-\(side) \(TimelineGlyphs.driverClass(leadsTo))\" href=\"\(href)\">"
                out += "<span class=\"task-name\">\(p.event.comm.htmlEscaped) \(p.event.pid)\(p.event.tid != p.event.pid ? "/\(p.event.tid)" : "")</span>"
                out += "<span class=\"task-what\">\(p.event.what.htmlEscaped)</span>"
                out += "<span class=\"task-leads\">→ \(leadsTo.map { $0.htmlEscaped } ?? "unbound")</span></a>"
                if i == 0 { out += "<span class=\"versus\" title=\"no happens-before path between them\">⚡</span>" }
            }
            out += "</div>"
        }

        out += "<dl>"
        out += "<dt>candidates</dt><dd>\(d.candidates.isEmpty ? "none" : d.candidates.map(Self.chip).joined(separator: " "))</dd>"
        if d.observedPerTrace.count > 1 {
            let per = d.observedPerTrace.sorted { $0.key < $1.key }.map { "<span class=\"per-trace\">\($0.key.htmlEscaped): \(Self.chip($0.value))</span>" }
            out += "<dt>observed</dt><dd>\(per.joined(separator: " "))</dd>"
        } else {
            out += "<dt>observed winner</dt><dd>\(Self.chip(d.observedWinner))</dd>"
        }
        out += "<dt>feasible winners</dt><dd>\(d.feasibleWinners.map(Self.chip).joined(separator: " "))</dd>"
        out += "</dl>"
        if let u = d.unexplained { out += "<p class=\"unexplained\">unexplained: \(u.htmlEscaped)</p>" }
        if d.truncated { out += "<p class=\"note\">The exploration budget ran out: the winner set may be incomplete.</p>" }
        if let e = d.explanation {
            out += "<div class=\"explanation\"><p class=\"summary\">\(e.summary.htmlEscaped)</p><ol class=\"points\">"
            for (i, p) in e.points.enumerated() {
                let target = link(for: p.event)
                let letter = i < 26 ? String(UnicodeScalar(UInt8(65 + i))) : "\(i + 1)"
                let jump = target.map { "<a class=\"jump\(($0.isRace ? " race-jump" : ""))\" href=\"\($0.href)\" title=\"show on the timeline\">\(letter)</a>" } ?? "<span class=\"jump none\">\(letter)</span>"
                out += "<li>\(jump) <span class=\"time\">t=\(p.event.timeText)</span> <span class=\"task\">\(p.event.taskText.htmlEscaped)</span>: <span class=\"what\">\(p.event.what.htmlEscaped)</span><br><span class=\"role\">→ \(p.role.htmlEscaped)</span></li>"
            }
            out += "</ol><p class=\"reason\">\(e.reason.htmlEscaped)</p></div>"
        }
        if !d.suggestions.isEmpty {
            out += "<div class=\"fixes\"><h4>Fixes, each re-checked</h4><ul>"
            for s in d.suggestions {
                out += "<li><span class=\"check\" aria-hidden=\"true\">✔</span> \(s.text.htmlEscaped) <span class=\"rechecked\">every ordering then gives \(s.recheckedWinners.map(Self.chip).joined(separator: " "))</span></li>"
            }
            out += "</ul></div>"
        }
        if !d.assumptions.isEmpty {
            out += "<details class=\"assumptions\"><summary>\(d.assumptions.count) assumption\(d.assumptions.count == 1 ? "" : "s")</summary><ul>"
            for a in d.assumptions { out += "<li>\(a.htmlEscaped)</li>" }
            out += "</ul></details>"
        }
        out += "</article>"
        return out
    }

    /// The winner an explanation point's role names ("… ends with e1000").
    static func leadsTo(role: String, winners: [String?]) -> String? {
        var best: (String, String.Index)?
        for w in winners.compactMap({ $0 }) {
            if let r = role.range(of: w, options: .backwards), best == nil || r.lowerBound > best!.1 { best = (w, r.lowerBound) }
        }
        return best?.0
    }
}
