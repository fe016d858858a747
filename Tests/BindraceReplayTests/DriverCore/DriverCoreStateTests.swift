@testable import BindraceReplay
import BindraceTrace
import Testing

/// The driver-core model step by step, against the kernel behaviour it
/// stands for.
@Suite struct DriverCoreStateTests {
    let nic = "0000:00:02.0"

    func context(_ outcomes: ProbeOutcomes = ProbeOutcomes(), vf: Bool = false, autoprobe: Bool = true) -> SimulationContext {
        SimulationContext(devices: [nic: DeviceInfo(name: nic, ids: .e1000, isVirtualFunction: vf, autoprobe: autoprobe)],
                          facts: TableMatchFacts.standard, outcomes: outcomes)
    }

    func run(_ actions: [StepAction], _ ctx: SimulationContext) -> DriverCoreState {
        var s = DriverCoreState()
        for (i, a) in actions.enumerated() { s.apply(a, step: i, context: ctx) }
        return s
    }

    let vfioID = PCIMatchID(vendor: 0x8086, device: 0x100e)

    @Test func firstRegisteredMatchingDriverWinsAtDeviceAdd() {
        let ctx = context()
        let s = run([.driverRegister(driver: "e1000", module: nil, isAsync: false), .deviceAdd(device: nic)], ctx)
        #expect(s.winner(nic) == "e1000")
    }

    @Test func vfioWithoutIDsOrOverrideDoesNotMatch() {
        let s = run([.deviceAdd(device: nic), .driverRegister(driver: "vfio-pci", module: nil, isAsync: false)], context())
        #expect(s.winner(nic) == nil)
    }

    @Test func dynamicIDAttachesOnlyUnboundDevices() {
        let ctx = context()
        let first = run([.deviceAdd(device: nic), .driverRegister(driver: "vfio-pci", module: nil, isAsync: false),
                         .addID(driver: "vfio-pci", id: vfioID), .driverRegister(driver: "e1000", module: nil, isAsync: false)], ctx)
        #expect(first.winner(nic) == "vfio-pci")
        let late = run([.deviceAdd(device: nic), .driverRegister(driver: "vfio-pci", module: nil, isAsync: false),
                        .driverRegister(driver: "e1000", module: nil, isAsync: false), .addID(driver: "vfio-pci", id: vfioID)], ctx)
        #expect(late.winner(nic) == "e1000")
    }

    @Test func overrideExcludesOthersAndEnablesOverrideOnlyEntries() {
        let ctx = context()
        let s = run([.deviceAdd(device: nic), .setOverride(device: nic, driver: "vfio-pci"),
                     .driverRegister(driver: "e1000", module: nil, isAsync: false),
                     .driverRegister(driver: "vfio-pci", module: nil, isAsync: false)], ctx)
        #expect(s.winner(nic) == "vfio-pci")
        // Written after the bind: nothing changes until an unbind and drivers_probe.
        var late = run([.deviceAdd(device: nic), .driverRegister(driver: "e1000", module: nil, isAsync: false),
                        .driverRegister(driver: "vfio-pci", module: nil, isAsync: false), .setOverride(device: nic, driver: "vfio-pci")], ctx)
        #expect(late.winner(nic) == "e1000")
        late.apply(.unbind(device: nic, driver: "e1000"), step: 10, context: ctx)
        late.apply(.driversProbe(device: nic), step: 11, context: ctx)
        #expect(late.winner(nic) == "vfio-pci")
    }

    @Test func probeFailureLetsTheNextDriverTry() {
        var outcomes = ProbeOutcomes()
        outcomes.record(device: nic, driver: "e1000", result: 22)
        let ctx = SimulationContext(
            devices: [nic: DeviceInfo(name: nic, ids: .e1000)],
            facts: TableMatchFacts(entries: TableMatchFacts.standard.entries + [.init(driver: "igb", id: PCIMatchID(vendor: 0x8086, device: PCIMatchID.any))]),
            outcomes: outcomes)
        let s = run([.driverRegister(driver: "e1000", module: nil, isAsync: false), .driverRegister(driver: "igb", module: nil, isAsync: false),
                     .deviceAdd(device: nic)], ctx)
        #expect(s.winner(nic) == "igb")
    }

    @Test func deferralWaitsForARetry() {
        var outcomes = ProbeOutcomes()
        outcomes.record(device: nic, driver: "e1000", result: 517)
        outcomes.record(device: nic, driver: "e1000", result: 0)
        let ctx = context(outcomes)
        var s = run([.deviceAdd(device: nic), .driverRegister(driver: "e1000", module: nil, isAsync: false)], ctx)
        #expect(s.winner(nic) == nil)
        #expect(s.deferredList == [nic])
        s.apply(.deferredRetry, step: 5, context: ctx)
        #expect(s.winner(nic) == "e1000")
        #expect(s.deferredList.isEmpty)
    }

    @Test func busyIsNotADriverOutcome() {
        var outcomes = ProbeOutcomes()
        outcomes.record(device: nic, driver: "e1000", result: -16)
        #expect(!outcomes.wasObserved(device: nic, driver: "e1000"))
    }

    @Test func asyncDriverProbesLaterAndCanBeOvertaken() {
        let ctx = context()
        var s = run([.deviceAdd(device: nic), .driverRegister(driver: "vfio-pci", module: nil, isAsync: true),
                     .addID(driver: "vfio-pci", id: vfioID)], ctx)
        #expect(s.winner(nic) == nil)
        #expect(s.jobs.count == 1)
        s.apply(.driverRegister(driver: "e1000", module: nil, isAsync: false), step: 3, context: ctx)
        #expect(s.winner(nic) == "e1000")
        s.runJob(0, context: ctx)
        #expect(s.winner(nic) == "e1000")
    }

    @Test func barrierRunsPendingAsyncProbes() {
        let ctx = context()
        let s = run([.deviceAdd(device: nic), .driverRegister(driver: "vfio-pci", module: nil, isAsync: true),
                     .addID(driver: "vfio-pci", id: vfioID), .asyncBarrier, .driverRegister(driver: "e1000", module: nil, isAsync: false)], ctx)
        #expect(s.winner(nic) == "vfio-pci")
    }

    @Test func deviceAddPrefersSyncDriversOverAsyncOnes() {
        let ctx = context()
        var s = run([.driverRegister(driver: "vfio-pci", module: nil, isAsync: true), .addID(driver: "vfio-pci", id: vfioID),
                     .driverRegister(driver: "e1000", module: nil, isAsync: false), .deviceAdd(device: nic)], ctx)
        #expect(s.winner(nic) == "e1000")
        s = run([.driverRegister(driver: "vfio-pci", module: nil, isAsync: true), .addID(driver: "vfio-pci", id: vfioID),
                 .deviceAdd(device: nic), .asyncBarrier], ctx)
        #expect(s.winner(nic) == "vfio-pci")
    }

    @Test func sriovVirtualFunctionWithoutAutoprobeNeedsAnOverride() {
        let ctx = context(vf: true, autoprobe: false)
        var s = run([.driverRegister(driver: "e1000", module: nil, isAsync: false), .deviceAdd(device: nic)], ctx)
        #expect(s.winner(nic) == nil)
        s.apply(.driverRegister(driver: "vfio-pci", module: nil, isAsync: false), step: 2, context: ctx)
        s.apply(.setOverride(device: nic, driver: "vfio-pci"), step: 3, context: ctx)
        s.apply(.driversProbe(device: nic), step: 4, context: ctx)
        #expect(s.winner(nic) == "vfio-pci")
        let on = run([.driverRegister(driver: "e1000", module: nil, isAsync: false), .deviceAdd(device: nic)], context(vf: true, autoprobe: true))
        #expect(on.winner(nic) == "e1000")
    }

    @Test func sysfsBindNeedsAMatch() {
        let ctx = context()
        var s = run([.deviceAdd(device: nic), .driverRegister(driver: "vfio-pci", module: nil, isAsync: false)], ctx)
        s.apply(.bind(device: nic, driver: "vfio-pci"), step: 2, context: ctx)
        #expect(s.winner(nic) == nil)
        s.apply(.setOverride(device: nic, driver: "vfio-pci"), step: 3, context: ctx)
        s.apply(.bind(device: nic, driver: "vfio-pci"), step: 4, context: ctx)
        #expect(s.winner(nic) == "vfio-pci")
    }
}
