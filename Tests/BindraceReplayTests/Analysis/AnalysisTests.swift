@testable import BindraceReplay
import BindraceTrace
import Foundation
import Testing

@Suite struct AnalysisTests {
    /// The concurrent modprobe race, built in code.
    func race(vfioFirst: Bool) -> TraceFacts {
        var b = TraceBuilder()
        b.add(1, "swapper/0", .deviceAdd(DeviceAddition(device: "0000:00:02.0", devpath: "/devices/pci0000:00/0000:00:02.0", pci: .e1000)))
        b.add(210, "sh", .processFork(childPID: 311, childTID: 311, isThread: false))
        b.add(210, "sh", .processFork(childPID: 312, childTID: 312, isThread: false))
        b.add(311, "modprobe", .driverRegisterStart(driver: "vfio-pci", bus: "pci", probeType: .defaultStrategy))
        b.add(311, "modprobe", .driverRegisterEnd(driver: "vfio-pci", bus: "pci", result: 0))
        if vfioFirst {
            b.add(311, "modprobe", .dynamicIDAdded(driver: "vfio-pci", id: PCIMatchID(vendor: 0x8086, device: 0x100e)))
            b.add(311, "modprobe", .bound(device: "0000:00:02.0", driver: "vfio-pci"))
            b.add(312, "modprobe", .driverRegisterStart(driver: "e1000", bus: "pci", probeType: .defaultStrategy))
        } else {
            b.add(312, "modprobe", .driverRegisterStart(driver: "e1000", bus: "pci", probeType: .defaultStrategy))
            b.add(312, "modprobe", .bound(device: "0000:00:02.0", driver: "e1000"))
            b.add(311, "modprobe", .dynamicIDAdded(driver: "vfio-pci", id: PCIMatchID(vendor: 0x8086, device: 0x100e)))
        }
        return b.facts(name: vfioFirst ? "boot1" : "boot2")
    }

    @Test func raceIsFoundExplainedAndFixed() throws {
        let result = ReplayAnalyzer.analyze([race(vfioFirst: true)], facts: TableMatchFacts.standard)
        let nic = try #require(result.devices.first)
        #expect(nic.verdict == .raceVFIOVsNative)
        #expect(Set(nic.feasibleWinners) == ["vfio-pci", "e1000"])
        #expect(nic.unexplained == nil)
        let kinds = Set(try #require(nic.explanation).points.map(\.event.kind))
        #expect(kinds == [.dynamicIDAdded, .driverRegisterStart])
        #expect(nic.suggestions.allSatisfy { $0.recheckedWinners == ["vfio-pci"] })
        #expect(nic.suggestions.contains { $0.kind == "vfio-ids-before-native" })
        #expect(result.hasVFIONativeRace)
    }

    /// Many cards of one id racing: each fix names a few of the others and
    /// counts the rest, so the report grows with the cards, not their square.
    @Test func fixesNameAFewOfManyIdenticalCards() throws {
        var b = TraceBuilder()
        let cards = (0..<12).map { String(format: "0000:%02x:00.0", $0 + 2) }
        for card in cards { b.add(1, "swapper/0", .deviceAdd(DeviceAddition(device: card, pci: .e1000))) }
        b.add(210, "sh", .processFork(childPID: 311, childTID: 311, isThread: false))
        b.add(210, "sh", .processFork(childPID: 312, childTID: 312, isThread: false))
        b.add(311, "modprobe", .driverRegisterStart(driver: "vfio-pci", bus: "pci", probeType: .defaultStrategy))
        b.add(311, "modprobe", .driverRegisterEnd(driver: "vfio-pci", bus: "pci", result: 0))
        b.add(311, "modprobe", .dynamicIDAdded(driver: "vfio-pci", id: PCIMatchID(vendor: 0x8086, device: 0x100e)))
        for card in cards { b.add(311, "modprobe", .bound(device: card, driver: "vfio-pci")) }
        b.add(312, "modprobe", .driverRegisterStart(driver: "e1000", bus: "pci", probeType: .defaultStrategy))
        let result = ReplayAnalyzer.analyze([b.facts()], facts: TableMatchFacts.standard)
        #expect(result.devices.count == 12)
        for device in result.devices {
            #expect(device.verdict == .raceVFIOVsNative)
            let early = try #require(device.suggestions.first { $0.kind == "vfio-ids-before-native" }, "\(device.device)")
            let others = cards.filter { $0 != device.device }
            #expect(early.text.contains("also takes \(others.prefix(8).joined(separator: ", ")) and 3 more"), "\(early.text)")
            #expect(!early.text.contains(others[8]))
        }
        #expect(FixPlanner.listed(["a", "b"], limit: 2) == "a, b")
        #expect(FixPlanner.listed(["a", "b", "c"], limit: 2) == "a, b and 1 more")
    }

    @Test func orderingTheModprobesMakesItDeterministic() throws {
        // sh waits for the vfio-pci modprobe before starting e1000's.
        var b = TraceBuilder()
        b.add(1, "swapper/0", .deviceAdd(DeviceAddition(device: "0000:00:02.0", pci: .e1000)))
        b.add(210, "sh", .processFork(childPID: 311, childTID: 311, isThread: false))
        b.add(311, "modprobe", .driverRegisterStart(driver: "vfio-pci", bus: "pci", probeType: .defaultStrategy))
        b.add(311, "modprobe", .dynamicIDAdded(driver: "vfio-pci", id: PCIMatchID(vendor: 0x8086, device: 0x100e)))
        b.add(311, "modprobe", .bound(device: "0000:00:02.0", driver: "vfio-pci"))
        b.add(311, "modprobe", .processExit(code: 0))
        b.add(210, "sh", .processWait(childPID: 311))
        b.add(210, "sh", .processFork(childPID: 312, childTID: 312, isThread: false))
        b.add(312, "modprobe", .driverRegisterStart(driver: "e1000", bus: "pci", probeType: .defaultStrategy))
        let result = ReplayAnalyzer.analyze([b.facts()], facts: TableMatchFacts.standard)
        let nic = try #require(result.devices.first)
        #expect(nic.verdict == .deterministic)
        #expect(nic.feasibleWinners == ["vfio-pci"])
        #expect(nic.explanation?.summary.contains("every ordering") == true)
    }

    @Test func replayMismatchIsReportedUnexplained() throws {
        // The trace says e1000 bound, but e1000 never registered: a gap.
        var b = TraceBuilder()
        b.add(1, "swapper/0", .deviceAdd(DeviceAddition(device: "0000:00:02.0", pci: .e1000)))
        b.add(1, "swapper/0", .bound(device: "0000:00:02.0", driver: "e1000"))
        let nic = try #require(ReplayAnalyzer.analyze([b.facts()], facts: TableMatchFacts.standard).devices.first)
        #expect(nic.verdict == .unexplained)
        #expect(nic.unexplained?.contains("e1000") == true)
        #expect(nic.feasibleWinners.contains("e1000"))
    }

    @Test func bootsThatDisagreeProveNondeterminism() throws {
        let result = ReplayAnalyzer.analyze([race(vfioFirst: true), race(vfioFirst: false)], facts: TableMatchFacts.standard)
        let nic = try #require(result.devices.first)
        #expect(nic.provenAcrossBoots)
        #expect(nic.verdict == .raceVFIOVsNative)
        #expect(nic.observedPerTrace == ["boot1": "vfio-pci", "boot2": "e1000"])
    }

    @Test func lostEventsMeanNoDeterminismClaim() throws {
        var b = TraceBuilder()
        b.add(1, "swapper/0", .deviceAdd(DeviceAddition(device: "0000:00:02.0", pci: .e1000)))
        b.add(0, "swapper/1", .lost(count: 12))
        b.add(1, "swapper/0", .driverRegisterStart(driver: "e1000", bus: "pci", probeType: .defaultStrategy))
        b.add(1, "swapper/0", .bound(device: "0000:00:02.0", driver: "e1000"))
        let result = ReplayAnalyzer.analyze([b.facts()], facts: TableMatchFacts.standard)
        #expect(result.devices.first?.verdict == .incomplete)
        #expect(result.warnings.contains { $0.contains("12 events were lost") })
    }

    @Test func unattachedProbesWeakenConclusions() {
        var b = TraceBuilder()
        b.snapshot = Snapshot(probes: [ProbeStatus(name: "sched_process_fork", attached: false, detail: "tracefs not mounted"),
                                       ProbeStatus(name: "really_probe", attached: true)])
        b.add(1, "swapper/0", .deviceAdd(DeviceAddition(device: "0000:00:02.0", pci: .e1000)))
        let result = ReplayAnalyzer.analyze([b.facts()], facts: TableMatchFacts.standard)
        #expect(result.warnings.contains { $0.contains("sched_process_fork") && $0.contains("spurious") })
        #expect(!result.warnings.contains { $0.contains("really_probe") })
    }

    @Test func damagedTraceStillAnalysesTheValidPart() {
        var b = TraceBuilder()
        b.add(1, "swapper/0", .deviceAdd(DeviceAddition(device: "0000:00:02.0", pci: .e1000)))
        b.add(1, "swapper/0", .driverRegisterStart(driver: "e1000", bus: "pci", probeType: .defaultStrategy))
        b.add(1, "swapper/0", .bound(device: "0000:00:02.0", driver: "e1000"))
        var bytes = b.jsonl()
        bytes += Array("{\"t\":5,\"pid\":1,\"kind\":\"no_such_kind\"}\n".utf8)
        var input = try! TraceInput(source: MemoryByteSource(bytes), encoding: .jsonl)
        let (facts, _) = TraceRecorder.record(name: "x.jsonl", input: &input)
        #expect(facts.hasDamage)
        let result = ReplayAnalyzer.analyze([facts], facts: TableMatchFacts.standard)
        #expect(result.devices.first?.observedWinner == "e1000")
        #expect(result.devices.first?.verdict == .incomplete)
    }

    @Test func snapshotMatchFactsUseKmodResolution() {
        let snapshot = Snapshot(
            commandLine: "root=/dev/vda1 driver_async_probe=vfio-pci",
            matchTables: [SnapshotFile(path: "modules.alias", text: """
                alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000
                alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci
                alias vfio_pci:v000010DEd00001DB1sv*sd*bc*sc*i* nvgrace_gpu_vfio_pci

                """)])
        let facts = SnapshotMatchFacts(snapshot: snapshot)
        #expect(facts.problems.isEmpty)
        #expect(facts.staticMatch(driver: "e1000", module: "e1000", ids: .e1000) == .match)
        #expect(facts.staticMatch(driver: "e1000", module: nil, ids: .v100) == StaticMatch.none)
        #expect(facts.staticMatch(driver: "vfio-pci", module: "vfio_pci", ids: .e1000) == .overrideOnly)
        #expect(facts.staticMatch(driver: "nvgrace-gpu-vfio-pci", module: "nvgrace_gpu_vfio_pci", ids: .v100) == .overrideOnly)
        #expect(facts.vfioVariant(ids: .v100) == "nvgrace_gpu_vfio_pci")
        #expect(facts.vfioVariant(ids: .e1000) == nil, "only vfio-pci's own alias matches")
        #expect(facts.asyncProbeForced(driver: "vfio-pci"))
        #expect(!facts.asyncProbeForced(driver: "e1000"))
    }

    /// With no vfio_pci: alias but vfio-pci's own (and pci-stub's), no
    /// device has a variant, whatever its ids.
    @Test func snapshotWithoutVariantAliasesPicksNoVariant() {
        let snapshot = Snapshot(matchTables: [SnapshotFile(path: "modules.alias", text: """
            alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000
            alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci
            alias vfio_pci:v000010DEd*sv*sd*bc*sc*i* pci_stub

            """)])
        let facts = SnapshotMatchFacts(snapshot: snapshot)
        #expect(facts.problems.isEmpty)
        #expect(facts.vfioVariant(ids: .v100) == nil)
        #expect(facts.vfioVariant(ids: .e1000) == nil)
    }
}
