import BindraceReplay
import BindraceSynth
import BindraceTrace
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Planted outcomes of `bindrace synth --truth` against an analysis:
/// verdict, feasible winners and observed winner, device by device.
enum PlantedCheck {
    static func score(_ analysis: TraceAnalysis, truthFile: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: truthFile) else { throw InputFailure("\(truthFile): cannot read") }
        let planted: [PlantedOutcome]
        do {
            planted = try JSONDecoder().decode([PlantedOutcome].self, from: data)
        } catch {
            throw InputFailure("\(truthFile): not a truth file: \(error)")
        }
        let byDevice = Dictionary(analysis.devices.map { ($0.device, $0) }, uniquingKeysWith: { a, _ in a })
        var found = 0
        for outcome in planted {
            guard let r = byDevice[outcome.device] else { continue }
            let verdict: Verdict = outcome.expectation == .raceVfioVsNative ? .raceVFIOVsNative : .deterministic
            if r.verdict == verdict, Set(r.feasibleWinners.map { $0 ?? "" }) == Set(outcome.feasibleWinners),
               (r.observedWinner ?? "") == outcome.observedWinner {
                found += 1
            }
        }
        return "\(found)/\(planted.count)"
    }
}
