import BindraceSynth
import BindraceTrace
import Testing

@Suite struct SyntheticBootTests {
    static func generate(_ config: SynthConfiguration) throws -> (bytes: [UInt8], planted: [PlantedOutcome], events: [Event]) {
        var boot = SyntheticBoot(config)
        var writer = try TraceWriter(sink: MemoryByteSink())
        try writer.write(boot.snapshot())
        var events: [Event] = []
        let planted = try boot.generate { event in
            events.append(event)
            try writer.append(event)
        }
        try writer.finish()
        return (writer.sink.bytes, planted, events)
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let a = try Self.generate(SynthConfiguration(seed: 42, targetEvents: 5_000))
        let b = try Self.generate(SynthConfiguration(seed: 42, targetEvents: 5_000))
        let c = try Self.generate(SynthConfiguration(seed: 43, targetEvents: 5_000))
        #expect(a.bytes == b.bytes)
        #expect(a.bytes != c.bytes)
    }

    @Test func reachesTheTargetAndPlantsRaces() throws {
        let run = try Self.generate(SynthConfiguration(seed: 7, targetEvents: 20_000, raceEvery: 4))
        #expect(run.events.count >= 20_000)
        #expect(run.events.count < 21_000)
        let races = run.planted.filter { $0.expectation == .raceVfioVsNative }
        #expect(races.count >= 5)
        for race in races {
            #expect(race.feasibleWinners.contains("vfio-pci"))
            #expect(race.feasibleWinners.contains(race.observedWinner))
            #expect(race.racingEvents.count == 2)
            let kinds = race.racingEvents.map { run.events[Int($0)].kind }
            #expect(Set(kinds) == [.dynamicIDAdded, .driverRegisterStart])
            // The two racing events come from different tasks.
            #expect(run.events[Int(race.racingEvents[0])].pid != run.events[Int(race.racingEvents[1])].pid)
        }
        // Both outcomes occur across races: the observed order is drawn at random.
        #expect(Set(races.map { $0.observedWinner == "vfio-pci" }).count == 2)
    }

    @Test func observedBindingMatchesTheEvents() throws {
        let run = try Self.generate(SynthConfiguration(seed: 3, targetEvents: 10_000, raceEvery: 2))
        var bound: [String: String] = [:]
        for event in run.events {
            switch event.payload {
            case .bound(let device, let driver):
                #expect(bound[device] == nil, "\(device) bound twice")
                bound[device] = driver
            case .unbound(let device, _): bound[device] = nil
            case .deviceRemove(let device, _): #expect(bound[device] == nil, "\(device) removed while bound")
            default: break
            }
        }
        for outcome in run.planted where outcome.expectation != .raceVfioVsNative {
            #expect(bound[outcome.device] == outcome.observedWinner, "\(outcome.device)")
        }
        #expect(bound["0000:40:00.0"] == "vfio-pci")
        #expect(bound["0000:40:00.1"] == "snd_hda_intel")
        #expect(bound["0000:01:00.0"] == "ixgbe")
    }

    @Test func manyShortLivedTasksAndOrderedTimestamps() throws {
        let run = try Self.generate(SynthConfiguration(seed: 9, targetEvents: 50_000, processesPerRound: 20))
        #expect(Set(run.events.map(\.tid)).count > 2_000)
        #expect(zip(run.events, run.events.dropFirst()).allSatisfy { $0.timestamp < $1.timestamp })
        var input = try TraceInput(source: MemoryByteSource(run.bytes), encoding: .binary)
        while try input.next() != nil {}
        #expect(input.diagnostics.isEmpty)
    }
}

@Suite struct SyntheticBootEdgeTests {
    @Test func withoutGPUsTheAgentLoadsVfioPCIItself() throws {
        let run = try SyntheticBootTests.generate(SynthConfiguration(seed: 5, targetEvents: 3_000, gpus: 0, raceEvery: 1))
        let registrations = run.events.filter {
            if case .driverRegisterStart("vfio-pci", _, _) = $0.payload { return true }
            return false
        }
        #expect(registrations.count == 1)
        let firstNewID = run.events.firstIndex { if case .sysfsNewID = $0.payload { return true } else { return false } }
        let registered = run.events.firstIndex { if case .driverRegisterEnd("vfio-pci", _, _) = $0.payload { return true } else { return false } }
        #expect(registered! < firstNewID!)
    }

    @Test func eachDriverRegistersOnce() throws {
        let run = try SyntheticBootTests.generate(SynthConfiguration(seed: 11, targetEvents: 20_000, gpus: 3))
        var counts: [String: Int] = [:]
        for event in run.events {
            if case .driverRegisterStart(let driver, _, _) = event.payload { counts[driver, default: 0] += 1 }
        }
        #expect(counts.values.allSatisfy { $0 == 1 }, "\(counts)")
    }
}
