import BindraceReplay

/// Compares two analyses device by device: before and after a kernel or
/// config upgrade, or a recorded trace and its what-if re-run.
public enum OutcomeDiffer {
    public static func diff(before: AnalysisResult, after: AnalysisResult) -> [OutcomeChange] {
        let a = Dictionary(before.devices.map { ($0.device, $0) }, uniquingKeysWith: { x, _ in x })
        let b = Dictionary(after.devices.map { ($0.device, $0) }, uniquingKeysWith: { x, _ in x })
        var changes: [OutcomeChange] = []
        for device in Set(a.keys).union(b.keys).sorted() {
            let x = a[device], y = b[device]
            // A device nothing claims on either side is noise, not a change.
            if x.map({ !$0.matters }) ?? true, y.map({ !$0.matters }) ?? true { continue }
            var kinds: [String] = []
            var why: [String] = []
            switch (x, y) {
            case (nil, let y?):
                kinds = ["added"]
                why.append("the device appears only after (device_add in the after traces)")
                if let e = y.explanation { why.append("after: \(e.summary)") }
            case (_?, nil):
                kinds = ["removed"]
                why.append("the device is not in the after traces")
            case (let x?, let y?):
                if x.observedWinner != y.observedWinner { kinds.append("winner") }
                if Set(x.feasibleWinners) != Set(y.feasibleWinners) { kinds.append("feasible") }
                if x.verdict != y.verdict { kinds.append("verdict") }
                guard !kinds.isEmpty else { continue }
                let newDrivers = y.candidates.filter { !x.candidates.contains($0) }
                let goneDrivers = x.candidates.filter { !y.candidates.contains($0) }
                if !newDrivers.isEmpty { why.append("new candidate driver(s): \(newDrivers.joined(separator: ", ")) (registered, or matched by the changed tables/config)") }
                if !goneDrivers.isEmpty { why.append("no longer a candidate: \(goneDrivers.joined(separator: ", "))") }
                let gained = Set(y.feasibleWinners).subtracting(x.feasibleWinners).map(DriverPattern.describe).sorted()
                let lost = Set(x.feasibleWinners).subtracting(y.feasibleWinners).map(DriverPattern.describe).sorted()
                if !gained.isEmpty { why.append("can now win: \(gained.joined(separator: ", "))") }
                if !lost.isEmpty { why.append("can no longer win: \(lost.joined(separator: ", "))") }
                if y.verdict.isRace, let e = y.explanation { why.append("after: \(e.summary) \(e.reason)") }
                else if x.verdict.isRace, let e = y.explanation { why.append("after: \(e.summary)") }
                else if x.verdict.isRace, let e = x.explanation { why.append("before: \(e.summary)") }
                if let u = y.unexplained { why.append("after: \(u)") }
            case (nil, nil):
                continue
            }
            changes.append(OutcomeChange(
                device: device, ids: (y ?? x)!.ids, kinds: kinds, before: x.map(OutcomeChange.Side.init),
                after: y.map(OutcomeChange.Side.init), why: why))
        }
        return changes
    }
}
