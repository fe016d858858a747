@testable import BindraceReplay
import Dispatch
import Foundation
import Testing

/// The final analyses' pool: every case added comes back analysed, in the
/// order added, however the work fell between the builder and the helpers.
@Suite struct LifetimeAnalysisPoolTests {
    /// Cases of devices never added: each is judged from what the trace
    /// showed bound, which names the case.
    static func cases(_ range: Range<Int>) -> [LifetimeCase] {
        range.map { i in
            LifetimeCase(
                device: "0000:00:\(i).0", info: nil,
                projection: DeviceProjection(device: "0000:00:\(i).0", steps: [], candidates: [], missingOverrideDrivers: [], configuredDrivers: []),
                observed: "driver\(i)", asyncRuns: [], context: context(), udevAddStamp: nil, boundBeforeCapture: nil)
        }
    }

    static func context() -> SimulationContext { SimulationContext(devices: [:], facts: TableMatchFacts(), outcomes: ProbeOutcomes()) }

    static func pool(workers: Int, backlogLimit: Int) -> LifetimeAnalysisPool {
        let environment = LifetimeEnvironment(traceName: "t", matchFacts: TableMatchFacts(), builtins: [], moduleOfDriver: [:],
                                              sameIDDevices: { _, _ in [] }, memo: nil)
        return LifetimeAnalysisPool(environment: environment, workers: (0..<workers).map { _ in .init(context: context()) },
                                    backlogLimit: backlogLimit, takeSize: 3)
    }

    @Test(arguments: [(1, 1), (2, 1), (2, 5), (3, 2), (4, 100)])
    func resultsComeBackInTheOrderAdded(workers: Int, backlogLimit: Int) {
        let pool = Self.pool(workers: workers, backlogLimit: backlogLimit)
        pool.start()
        var start = 0
        for part in [1, 7, 0, 13, 2, 40, 5] {
            pool.add(Self.cases(start..<start + part))
            pool.helpWhileBacklogged()
            #expect(pool.backlog <= backlogLimit)
            start += part
        }
        let results = pool.finish()
        #expect(results.map(\.device) == (0..<start).map { "0000:00:\($0).0" })
        #expect(results.map(\.observedWinner) == (0..<start).map { "driver\($0)" })
    }

    /// Cases added out of order with their places: the results come back
    /// in the places' order, however the work fell.
    @Test(arguments: [(1, 0), (2, 1), (3, 4)])
    func resultsComeBackInThePlacesGiven(workers: Int, backlogLimit: Int) {
        let pool = Self.pool(workers: workers, backlogLimit: backlogLimit)
        pool.start()
        // Built in the order 5, 0, 6, 1, ... as a spread of heavy cases would be.
        let order = [5, 0, 6, 1, 2, 7, 3, 4, 8]
        for part in [order[0..<2], order[2..<3], order[3..<9]] {
            pool.add(part.flatMap { Self.cases($0..<$0 + 1) }, at: Array(part))
            pool.helpWhileBacklogged()
        }
        let results = pool.finish()
        #expect(results.map(\.device) == (0..<9).map { "0000:00:\($0).0" })
    }

    /// Cases of `steps` steps each (registrations of no driver that could
    /// match: the device is judged from what the trace showed bound).
    static func cases(_ range: Range<Int>, steps: Int) -> [LifetimeCase] {
        cases(range).map { c in
            var c = c
            c.projection.steps = (0..<steps).map { i in
                Step(id: i, action: .asyncBarrier,
                     event: EventRef(index: i, timestamp: UInt64(i), pid: 1, tid: 1, comm: "modprobe", kind: .asyncSynchronize, what: "barrier"),
                     stamp: ClockStamp(slot: 0, clock: VectorClock(entries: [UInt32(i + 1)])), endIndex: i, firstProbe: [:])
            }
            return c
        }
    }

    /// Few cases but many steps in them: the builder helps until the steps
    /// waiting are within their limit, whatever the count of cases.
    @Test func theStepsWaitingAreBoundedAsWellAsTheCases() {
        let pool = LifetimeAnalysisPool(
            environment: LifetimeEnvironment(traceName: "t", matchFacts: TableMatchFacts(), builtins: [], moduleOfDriver: [:],
                                             sameIDDevices: { _, _ in [] }, memo: nil),
            workers: [.init(context: Self.context())], backlogLimit: 100, backlogStepLimit: 10, takeSize: 1)
        pool.add(Self.cases(0..<6, steps: 4))
        #expect(pool.backlog == 6)
        #expect(pool.backlogSteps == 24)
        pool.helpWhileBacklogged()
        #expect(pool.backlog == 2)
        #expect(pool.backlogSteps == 8)
        let results = pool.finish()
        #expect(results.map(\.device) == (0..<6).map { "0000:00:\($0).0" })
        #expect(pool.backlogSteps == 0)
    }

    /// Cases a helper analysed go back to the builder, which let go of
    /// them when it next adds (it allocated them: freed by the helper, they
    /// went back to the builder's malloc arena under its lock).
    @Test func theBuilderLetsGoOfWhatHelpersAnalysed() {
        let pool = Self.pool(workers: 2, backlogLimit: 1000)
        // The helper on a thread of its own: the shared queue `start` uses
        // can be busy with other tests for a minute.
        Thread { pool.help(worker: 1) }.start()
        pool.add(Self.cases(0..<9))
        // The builder does not help below its limit: the helper takes all.
        let deadline = Date().addingTimeInterval(60)
        while (pool.backlog > 0 || pool.spentParts < 3) && Date() < deadline { usleep(1000) }
        #expect(pool.backlog == 0)
        #expect(pool.spentParts == 3, "one part handed back per take of three")
        pool.add(Self.cases(9..<10))
        // The three let go of by the builder as it added. The helper, woken
        // by that add, may have taken the new case and handed its part back
        // already (a CI run saw it): at most that one is left.
        #expect(pool.spentParts <= 1, "let go of by the builder as it added")
        let results = pool.finish()
        #expect(results.map(\.device) == (0..<10).map { "0000:00:\($0).0" })
    }

    /// Helpers that never start (or start only once all is done) leave the
    /// builder to analyse everything: nothing waits for them.
    @Test func theBuilderAloneFinishes() {
        let pool = Self.pool(workers: 3, backlogLimit: 4)
        pool.add(Self.cases(0..<25))
        pool.helpWhileBacklogged()
        #expect(pool.backlog == 4)
        let results = pool.finish()
        #expect(results.map(\.device) == (0..<25).map { "0000:00:\($0).0" })
        // Too late to join: they find the pool finished and leave.
        pool.start()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(50)) { group.leave() }
        group.wait()
        #expect(pool.backlog == 0)
    }
}
