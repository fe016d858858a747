@testable import BindraceReplay
import BindraceTrace
import Testing

/// The replay of the order the trace showed.
@Suite struct ObservedReplayTests {
    let nic = "0000:00:02.0"
    let vfioID = PCIMatchID(vendor: 0x8086, device: 0x100e)

    func replay(asyncRunAt run: Int) -> ObservedReplay {
        let context = SimulationContext(devices: [nic: DeviceInfo(name: nic, ids: .e1000, isVirtualFunction: false, autoprobe: true)],
                                        facts: TableMatchFacts.standard, outcomes: ProbeOutcomes())
        return ObservedReplay(device: nic, steps: concurrentSteps([
            .driverRegister(driver: "e1000", module: nil, isAsync: true),
            .deviceAdd(device: nic),
            .driverRegister(driver: "vfio-pci", module: nil, isAsync: false),
            .addID(driver: "vfio-pci", id: vfioID),
        ]), asyncRuns: [run], context: context)
    }

    /// e1000 probes asynchronously from the add; vfio-pci's new_id binds
    /// whatever is still unbound. The async probe the trace ran at the
    /// new_id's position ran first.
    @Test func asyncRunAtAStepsPositionRunsBeforeIt() {
        #expect(replay(asyncRunAt: 3).winner == "e1000")
        #expect(replay(asyncRunAt: 4).winner == "vfio-pci")
    }
}
