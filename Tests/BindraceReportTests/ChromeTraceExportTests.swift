import BindraceReplay
import BindraceReport
import BindraceTrace
import Foundation
import Testing

@Suite struct ChromeTraceExportTests {
    /// The document parsed back, as chrome://tracing and Perfetto would.
    static func parse(_ json: String) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let document = try #require(object as? [String: Any])
        return try #require(document["traceEvents"] as? [[String: Any]])
    }

    static func export(_ jsonl: String) throws -> [[String: Any]] {
        let (result, timeline) = try HTMLScenario.read(jsonl)
        return try parse(ChromeTraceExport.render(timeline, result: result))
    }

    /// Structural checks every export must pass.
    static func checkStructure(_ events: [[String: Any]]) {
        var stacks: [String: [String]] = [:]
        var lastTS: [String: Double] = [:]
        var flowStarts: [Int: Double] = [:]
        var flowEnds: [Int: Double] = [:]
        var named = Set<String>(), used = Set<String>()
        for e in events {
            guard let ph = e["ph"] as? String, let pid = e["pid"] as? Int, let tid = e["tid"] as? Int, e["name"] is String else {
                Issue.record("event without ph/pid/tid/name: \(e)")
                continue
            }
            let thread = "\(pid)/\(tid)"
            if ph == "M" {
                if e["name"] as? String == "thread_name" { named.insert(thread) }
                continue
            }
            guard let ts = e["ts"] as? Double else {
                Issue.record("event without a numeric ts: \(e)")
                continue
            }
            used.insert(thread)
            switch ph {
            case "B":
                #expect(ts >= lastTS[thread] ?? 0, "B out of order on \(thread)")
                lastTS[thread] = ts
                stacks[thread, default: []].append(e["name"] as! String)
            case "E":
                #expect(ts >= lastTS[thread] ?? 0, "E out of order on \(thread)")
                lastTS[thread] = ts
                let open = stacks[thread]?.popLast()
                #expect(open == e["name"] as? String, "E closes \(String(describing: e["name"])) but \(String(describing: open)) is open on \(thread)")
            case "s": flowStarts[e["id"] as! Int] = ts
            case "f":
                flowEnds[e["id"] as! Int] = ts
                #expect(e["bp"] as? String == "e")
            case "X": #expect(e["dur"] is Double)
            case "i": #expect(e["s"] as? String == "t")
            default: Issue.record("unexpected phase \(ph)")
            }
        }
        for (thread, stack) in stacks { #expect(stack.isEmpty, "unbalanced slices on \(thread): \(stack)") }
        #expect(Set(flowStarts.keys) == Set(flowEnds.keys), "every flow start has a finish and vice versa")
        for (id, start) in flowStarts { #expect(start <= flowEnds[id] ?? .infinity, "flow \(id) goes back in time") }
        #expect(used.isSubset(of: named), "every thread has a thread_name")
    }

    @Test func raceExportIsWellFormed() throws {
        let events = try Self.export(HTMLScenario.text("concurrent-modprobe-vfio-e1000.jsonl"))
        Self.checkStructure(events)
        func count(_ f: ([String: Any]) -> Bool) -> Int { events.filter(f).count }
        // Tasks as threads, named from their comm.
        let names = events.filter { $0["name"] as? String == "thread_name" }.compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
        #expect(names.contains("sh → modprobe"))
        // Slices: two registrations, two probes.
        #expect(count { $0["ph"] as? String == "B" && $0["cat"] as? String == "register" } == 2)
        #expect(count { $0["ph"] as? String == "B" && $0["cat"] as? String == "probe" } == 2)
        // The race's two events, on the two modprobe threads.
        let race = events.filter { $0["cat"] as? String == "race" }
        #expect(race.count == 2)
        #expect(Set(race.compactMap { $0["tid"] as? Int }) == [311, 312])
        // Flow arrows for the fork edges into both racing tasks.
        #expect(count { $0["ph"] as? String == "s" } == 2)
        #expect(Set(events.filter { $0["ph"] as? String == "f" }.compactMap { $0["tid"] as? Int }) == [311, 312])
        // Microsecond timestamps, exact to the nanosecond.
        #expect(events.contains { ($0["ts"] as? Double) == 9_413_900.0 })
    }

    @Test func everyBundledScenarioExportsBalanced() throws {
        let dir = HTMLScenario.repositoryRoot.appendingPathComponent("traces/scenarios")
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".jsonl") {
            Self.checkStructure(try Self.export(HTMLScenario.text(file)))
        }
    }

    @Test func unendedProbeIsClosed() throws {
        // A capture that stops inside a probe: the slice still ends.
        var text = try HTMLScenario.text("concurrent-modprobe-vfio-e1000.jsonl")
        text = text.split(separator: "\n").filter { !$0.contains("\"probe_end\"") || !$0.contains("vfio-pci") }.joined(separator: "\n") + "\n"
        let events = try Self.export(text)
        Self.checkStructure(events)
        // It ends where its task exits.
        let end = events.first { $0["ph"] as? String == "E" && $0["name"] as? String == "probe 0000:00:02.0 vfio-pci" }
        #expect(end?["ts"] as? Double == 9_714_300.0)
    }

    @Test func hostileStringsStayJSONStrings() throws {
        let events = try Self.export(HTMLScenario.hostileJSONL())
        Self.checkStructure(events)
        let names = events.compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
        #expect(names.contains { $0.contains(HTMLScenario.hostileComm) })
    }
}
