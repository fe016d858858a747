@testable import BindraceReplay
import PropertyBased
import Testing

@Suite struct ProbeOutcomesTests {
    /// One device's results given by driver are those given by pair.
    @Test func oneDeviceByDriverEqualsByPair() async {
        let drivers = ["vfio-pci", "ixgbevf", "nouveau", "mlx5_core"]
        let lists = Gen.int(in: -517...0).array(of: 0...3)
        await propertyCheck(count: 300, input: Gen.int(in: 0...3).array(of: 0...4), lists) { picked, list in
            var byDriver: [String: [Int32]] = [:]
            var byPair: [ProbeOutcomes.Pair: [Int32]] = [:]
            for (k, d) in picked.enumerated() {
                // Lists as a lifetime's results are: never empty.
                let results = list.map(Int32.init) + [Int32(k)]
                byDriver[drivers[d]] = results
                byPair[ProbeOutcomes.Pair(device: "0000:41:00.2", driver: drivers[d])] = results
            }
            let given = ProbeOutcomes(device: "0000:41:00.2", results: byDriver)
            #expect(given == ProbeOutcomes(results: byPair))
            for driver in drivers {
                #expect(given.results(device: "0000:41:00.2", driver: driver) == byDriver[driver])
            }
        }
    }
}
