@testable import BindraceReplay
import BindraceTrace
import Foundation
import PropertyBased
import Testing

/// The streaming replay against the baseline on traces where devices come
/// and go (`RandomChurnTrace`): lifetimes judged as they end, through the
/// shape memo, must give what analysing every lifetime of the whole
/// recorded trace gives.
@Suite struct StreamingEquivalenceTests {
    /// Both sides on one generated trace.
    struct Run {
        var seed: UInt64
        var generated: RandomChurnTrace.Generated
        var streamed: TraceAnalysis
        var baseline: TraceAnalysis
    }

    static func run(seed: UInt64) throws -> Run {
        var random = RandomChurnTrace(seed: seed)
        let generated = random.make()
        let bytes = generated.builder.jsonl()
        let (streamed, _) = try StreamingReplayTests.streamed(bytes, encoding: .jsonl, name: "churn.jsonl", facts: generated.facts)
        let baseline = try StreamingReplayTests.baseline(bytes, encoding: .jsonl, name: "churn.jsonl", facts: generated.facts)
        return Run(seed: seed, generated: generated, streamed: streamed, baseline: baseline)
    }

    /// Every way the two results differ, each naming the seed (and device).
    static func mismatches(_ r: Run) -> [String] {
        var out: [String] = []
        let seed = r.seed
        if r.streamed.warnings != r.baseline.warnings {
            out.append("seed \(seed): warnings differ\n  streaming: \(r.streamed.warnings)\n  baseline:  \(r.baseline.warnings)")
        }
        if r.streamed.eventCount != r.baseline.eventCount {
            out.append("seed \(seed): event count \(r.streamed.eventCount) streaming, \(r.baseline.eventCount) baseline")
        }
        if r.streamed.devices.map(\.device) != r.baseline.devices.map(\.device) {
            out.append("seed \(seed): devices differ: streaming \(r.streamed.devices.map(\.device)), baseline \(r.baseline.devices.map(\.device))")
        }
        for (a, b) in zip(r.streamed.devices, r.baseline.devices) where a != b {
            var text = "seed \(seed) device \(b.device): \(differences(a, b).joined(separator: "; "))\n  streaming: \(describe(a))\n  baseline:  \(describe(b))"
            if a.explanation != b.explanation {
                text += "\n  streaming explanation: \(detail(a.explanation))\n  baseline explanation:  \(detail(b.explanation))"
            }
            if a.suggestions != b.suggestions {
                text += "\n  streaming suggestions: \(a.suggestions)\n  baseline suggestions:  \(b.suggestions)"
            }
            out.append(text)
        }
        for b in r.baseline.devices where Set(b.feasibleWinners).count >= 2 {
            if let summary = b.explanation?.summary, let twice = sameWinnerTwice(summary) {
                out.append("seed \(seed) device \(b.device): the race explanation contrasts \(twice) with itself although \(b.feasibleWinners.count) winners are feasible: \(summary)")
            }
        }
        return out
    }

    /// The winner named on both sides of "goes to X or to Y", if X == Y.
    static func sameWinnerTwice(_ summary: String) -> String? {
        guard let goes = summary.range(of: " goes to "), let or = summary.range(of: " or to ", range: goes.upperBound..<summary.endIndex) else { return nil }
        let first = summary[goes.upperBound..<or.lowerBound]
        let rest = summary[or.upperBound...]
        let second = rest.prefix { $0 != " " && $0 != "." }
        return first == second || (first == "no driver" && rest.hasPrefix("no driver")) ? String(first) : nil
    }

    /// The fields that differ, by name.
    static func differences(_ a: DeviceResult, _ b: DeviceResult) -> [String] {
        var fields: [String] = []
        func compare<Value: Equatable>(_ name: String, _ field: KeyPath<DeviceResult, Value>) {
            if a[keyPath: field] != b[keyPath: field] { fields.append(name) }
        }
        compare("device", \.device)
        compare("ids", \.ids)
        compare("candidates", \.candidates)
        compare("observedWinner", \.observedWinner)
        compare("observedPerTrace", \.observedPerTrace)
        compare("feasibleWinners", \.feasibleWinners)
        compare("verdict", \.verdict)
        compare("provenAcrossBoots", \.provenAcrossBoots)
        compare("unexplained", \.unexplained)
        compare("explanation", \.explanation)
        compare("suggestions", \.suggestions)
        compare("assumptions", \.assumptions)
        compare("truncated", \.truncated)
        return fields
    }

    /// An explanation's points (event position, what, role) and reason.
    static func detail(_ e: Explanation?) -> String {
        guard let e else { return "none" }
        let points = e.points.map { "#\($0.event.index) \($0.event.comm) \($0.event.what): \($0.role)" }
        return "\(e.summary) [\(points.joined(separator: "; "))] reason: \(e.reason)"
    }

    static func describe(_ r: DeviceResult) -> String {
        func name(_ w: String?) -> String { w ?? "unbound" }
        var parts = [
            "verdict \(r.verdict.rawValue)",
            "ids \(r.ids.isEmpty ? "-" : r.ids)",
            "feasible [\(r.feasibleWinners.map(name).joined(separator: ", "))]",
            "observed \(name(r.observedWinner))",
            "candidates [\(r.candidates.joined(separator: ", "))]",
        ]
        if let u = r.unexplained { parts.append("unexplained: \(u)") }
        if let e = r.explanation { parts.append("explanation: \(e.summary) (\(e.points.count) points)") }
        if !r.suggestions.isEmpty { parts.append("suggestions [\(r.suggestions.map(\.kind).joined(separator: ", "))]") }
        if !r.assumptions.isEmpty { parts.append("\(r.assumptions.count) assumptions") }
        if r.truncated { parts.append("truncated") }
        return parts.joined(separator: " | ")
    }

    static func check(seed: UInt64) {
        do {
            for problem in mismatches(try run(seed: seed)) { Issue.record("\(problem)") }
        } catch {
            Issue.record("seed \(seed): the trace did not read back: \(error)")
        }
    }

    /// 300 random traces by default (a few seconds each in a debug build);
    /// BINDRACE_CHURN_COUNT asks for more in a longer soak.
    static var churnSeedCount: Int {
        ProcessInfo.processInfo.environment["BINDRACE_CHURN_COUNT"].flatMap(Int.init) ?? 300
    }

    @Test func streamingEqualsBaselineOnChurnTraces() async {
        // The property check reports only the failing input: the details of
        // the first failing seed are kept and recorded once it returns.
        var firstFailure: [String] = []
        await propertyCheck(count: Self.churnSeedCount, input: Gen.uint64(in: 0...999_999)) { seed in
            let problems: [String]
            do {
                problems = Self.mismatches(try Self.run(seed: seed))
            } catch {
                problems = ["seed \(seed): the trace did not read back: \(error)"]
            }
            if firstFailure.isEmpty { firstFailure = problems }
            for problem in problems { Issue.record("\(problem)") }
        }
        for problem in firstFailure { Issue.record("\(problem)") }
    }

    /// The smallest seeds on which the two sides disagreed while the race
    /// explanation and the vfio driver a fix is re-checked for were picked
    /// in hash order (with SWIFT_DETERMINISTIC_HASHING=1 they always did;
    /// otherwise the process's hash seed decided). 244, 388, 2016: two
    /// unbound outcomes, deferred or not, tied when sorted by description,
    /// so the explanation's points came swapped, from another pair, or on
    /// one side only. 3378, 5419: two vfio drivers can win and a set's first
    /// one was the driver the fixes were re-checked for.
    @Test(arguments: [UInt64]([244, 388, 2016, 3378, 5419]))
    func seedsThatDisagreedOnHashOrder(seed: UInt64) {
        Self.check(seed: seed)
    }

    /// Seeds on which a device's cached projection outlived a registration:
    /// a statically matching driver whose only registration had failed
    /// registered again, which changed no driver name, so the cache still
    /// left it out of the candidates of the device's next lifetime.
    @Test(arguments: [UInt64]([327801, 586833, 723921]))
    func seedsWhereADriverRegisteredAgain(seed: UInt64) {
        Self.check(seed: seed)
    }

    /// Reruns the seed named by BINDRACE_CHURN_SEED, printing both results.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["BINDRACE_CHURN_SEED"] != nil))
    func oneSeed() throws {
        let text = ProcessInfo.processInfo.environment["BINDRACE_CHURN_SEED"] ?? ""
        let seed = try #require(UInt64(text), "BINDRACE_CHURN_SEED must be a number")
        let r = try Self.run(seed: seed)
        print("seed \(seed): \(r.generated.builder.events.count) events")
        for (k, event) in r.generated.builder.events.enumerated() {
            print(String(k).padding(toLength: 4, withPad: " ", startingAt: 0), event.pid, event.comm, event.payload)
        }
        for (a, b) in zip(r.streamed.devices, r.baseline.devices) {
            print("\(b.device)\n  streaming: \(Self.describe(a))\n  baseline:  \(Self.describe(b))")
        }
        for problem in Self.mismatches(r) { Issue.record("\(problem)") }
    }

    /// Equality proves something only if the generator reaches the cases
    /// that matter for lifetimes.
    @Test func generatorExercisesLifetimes() throws {
        var stats = RandomChurnTrace.Stats()
        var verdicts: [Verdict: Int] = [:]
        var withRemovals = 0, multiLifetime = 0, failedSeen = 0, openAtEnd = 0, removedInsideRegistration = 0
        var sizes: [Int] = []
        for seed in 0..<300 as Range<UInt64> {
            var random = RandomChurnTrace(seed: seed)
            let generated = random.make()
            let s = generated.stats
            stats.adds += s.adds
            stats.removals += s.removals
            stats.failedRegistrations += s.failedRegistrations
            stats.unbindsBeforeRemoval += s.unbindsBeforeRemoval
            stats.readds += s.readds
            stats.seededDevices += s.seededDevices
            stats.seededBound += s.seededBound
            stats.seededOverrides += s.seededOverrides
            stats.asyncRuns += s.asyncRuns
            stats.deferredRetries += s.deferredRetries
            stats.udevReceipts += s.udevReceipts
            stats.moduleRequests += s.moduleRequests
            stats.lost += s.lost
            stats.ghosts += s.ghosts
            stats.otherBusEvents += s.otherBusEvents
            stats.writesToAbsentDevices += s.writesToAbsentDevices
            sizes.append(generated.builder.events.count)
            let trace = generated.builder.facts()
            if !trace.lifetimesAtRemoval.isEmpty { withRemovals += 1 }
            // Removals inside another task's registration (start seen, end later).
            let registrations = trace.steps.filter { if case .driverRegister = $0.action { true } else { false } }
            for removal in trace.steps where removal.action.isRemoval {
                let at = removal.event.index
                if registrations.contains(where: { $0.event.index < at && $0.endIndex > at }) { removedInsideRegistration += 1 }
            }
            multiLifetime += trace.lifetimesAtRemoval.values.filter { $0.count >= 2 }.count
            failedSeen += trace.failedRegistrations.count
            openAtEnd += s.registrationsLeftOpen
            let analysis = ReplayAnalyzer.analyzeTrace(trace, facts: generated.facts, of: 1)
            for device in analysis.devices { verdicts[device.verdict, default: 0] += 1 }
        }
        sizes.sort()
        let races = verdicts.filter { $0.key.isRace }.values.reduce(0, +)
        #expect(withRemovals > 200)
        #expect(multiLifetime > 100)
        #expect(stats.readds > 150)
        #expect(removedInsideRegistration > 50)
        #expect(stats.unbindsBeforeRemoval > 100)
        #expect(failedSeen > 50)
        #expect(openAtEnd > 5)
        #expect(races > 30)
        #expect((verdicts[.unboundWithCandidate] ?? 0) > 10)
        #expect((verdicts[.boundBeforeCapture] ?? 0) > 10)
        #expect((verdicts[.deterministic] ?? 0) > 30)
        #expect((verdicts[.incomplete] ?? 0) > 5)
        #expect(stats.seededOverrides > 10)
        #expect(stats.asyncRuns > 50)
        #expect(stats.deferredRetries > 50)
        #expect(stats.udevReceipts > 200)
        #expect(stats.moduleRequests > 50)
        #expect(stats.ghosts > 20)
        #expect(stats.otherBusEvents > 20)
        #expect(stats.writesToAbsentDevices > 20)
        // Small but rich: most traces between 40 and 300 events.
        #expect(sizes[sizes.count / 10] >= 30)
        #expect(sizes[sizes.count * 9 / 10] <= 320)
        print("churn generator over 300 seeds: verdicts \(verdicts.map { "\($0.key.rawValue) \($0.value)" }.sorted()), events p10 \(sizes[sizes.count / 10]) median \(sizes[sizes.count / 2]) p90 \(sizes[sizes.count * 9 / 10]), \(stats)")
    }
}

fileprivate extension StepAction {
    var isRemoval: Bool { if case .deviceRemove = self { true } else { false } }
}
