@testable import BindraceReplay
import BindraceSynth
import BindraceTrace

/// What a step stage checking its repeat keys (`checksRepeats`) counted
/// over a trace: lifetimes judged by their repeat key, and of those the
/// ones judged otherwise in full; keys the churned pass wrote, and of those
/// the ones `repeatKey` wrote otherwise; lifetimes judged in all.
struct RepeatChecks {
    var repeatHits = 0
    var repeatMismatches = 0
    var churnedKeys = 0
    var churnedKeyMismatches = 0
    var judged = 0

    init() {}

    /// Lifetimes are judged as they end (the full analyses of `finish` have no repeat keys).
    init(_ bytes: [UInt8], encoding: TraceEncoding, facts: (any MatchFacts)? = nil) throws {
        let (replay, _) = try StreamingReplayTests.consumed(bytes, encoding: encoding, name: "repeats", facts: facts, checksRepeats: true)
        repeatHits = replay.steps.repeatHits
        repeatMismatches = replay.steps.repeatMismatches
        churnedKeys = replay.steps.churnedKeys
        churnedKeyMismatches = replay.steps.churnedKeyMismatches
        judged = replay.steps.lifetimesJudged
    }

    /// Long random churn traces, one per seed: devices added again and
    /// again while registrations fail and come back, dynamic ids come and
    /// go, barriers and retries happen between their lifetimes. `body`
    /// sees each seed's counts; returns their sums.
    static func overChurnTraces(_ seeds: Range<UInt64>, _ body: (UInt64, RepeatChecks) -> Void) throws -> RepeatChecks {
        var total = RepeatChecks()
        for seed in seeds {
            var random = RandomChurnTrace(seed: seed, long: true)
            let generated = random.make()
            let c = try RepeatChecks(generated.builder.jsonl(), encoding: .jsonl, facts: generated.facts)
            body(seed, c)
            total.repeatHits += c.repeatHits
            total.repeatMismatches += c.repeatMismatches
            total.churnedKeys += c.churnedKeys
            total.churnedKeyMismatches += c.churnedKeyMismatches
            total.judged += c.judged
        }
        return total
    }
}
