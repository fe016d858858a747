@testable import BindraceReplay
import BindraceTrace
import Testing

/// The clock stage's table of kinds: which events it stamps, decided from
/// the table entry, against the rule written out here (the baseline's, less
/// removals, which the clock stage does not stamp).
@Suite struct KindTableTests {
    @Test func stampedEventsFollowTheRule() {
        var strings = StringTable()
        for text in ["systemd-udevd", "kworker/0:1", "deferred_probe_work_func", "flush_to_ldisc", "sriov-setup"] { strings.append(text) }
        let udevd: StringID = 1, kworker: StringID = 2, deferred: StringID = 3, other: StringID = 4, setup: StringID = 5
        let always: Set<EventKind> = [.driverRegisterStart, .dynamicIDAdded, .sysfsNewID, .sysfsRemoveID, .deviceAdd,
                                      .driverOverrideWritten, .sysfsBind, .sysfsUnbind, .sysfsDriversProbe, .asyncSynchronize]
        func expected(_ kind: EventKind, comm: StringID, action: UInt32, function: StringID) -> Bool {
            switch kind {
            case .workStart: return function == deferred
            case .uevent: return action == UeventAction.add.rawValue && comm == udevd
            default: return always.contains(kind)
            }
        }
        let table = KindTable()
        var stage = ClockStage()
        let record = UnsafeMutableRawPointer.allocate(byteCount: RawEvent.size, alignment: 8)
        defer { record.deallocate() }
        var checked = 0
        for kind in EventKind.allCases {
            let entry = table.entry(kind.rawValue)
            #expect(entry.kind == kind)
            for comm in [udevd, kworker, setup] {
                for action in UeventAction.allCases.map(\.rawValue) {
                    for function in [deferred, other] {
                        RawEvent(comm: comm, kindByte: kind.rawValue, a1: action, a2: function).store(to: record)
                        let stamped = stage.needsStamp(RecordView(record), entry.stamp, strings)
                        #expect(stamped == expected(kind, comm: comm, action: action, function: function),
                                "\(kind) by \(strings[comm]), action \(action), function \(strings[function])")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 0)
        #expect(table.entry(255).kind == nil, "a kind this version does not know")
    }

    /// The loop's answers in the entry's one byte, against their rules:
    /// acted on (`StepStage.actsOn`), brief (not of the general path's
    /// kinds, or a fork, wait or exit), and quiet (never stamped, no uevent, not of the general
    /// path's kinds).
    @Test func flagsFollowTheirRules() {
        let table = KindTable()
        var quiet = 0
        for kind in EventKind.allCases {
            let entry = table.entry(kind.rawValue)
            let general = CompactHappensBefore<InlineClocks>.generalOnly(kind)
            #expect(entry.actedOn == StepStage.actsOn(kind), "\(kind)")
            #expect(entry.brief == (!general || CompactHappensBefore<InlineClocks>.briefProcess(kind)), "\(kind)")
            #expect(entry.stamp == ClockStage.stampRule(kind), "\(kind)")
            #expect(entry.quiet == (ClockStage.stampRule(kind) == .never && kind != .uevent && !general), "\(kind)")
            if entry.quiet { quiet += 1 }
        }
        // The kinds the stream is made of: probes, bindings, removals, module loads.
        for kind in [EventKind.probeStart, .probeEnd, .bound, .unbound, .deviceRemove, .moduleLoad] {
            #expect(table.entry(kind.rawValue).quiet, "\(kind)")
        }
        #expect(!table.entry(EventKind.deviceAdd.rawValue).quiet)
        #expect(!table.entry(EventKind.uevent.rawValue).quiet)
        #expect(!table.entry(EventKind.processExit.rawValue).quiet)
        #expect(quiet > 0)
        let unknown = table.entry(255)
        #expect(unknown.kind == nil && !unknown.actedOn && !unknown.quiet)
    }
}
