@testable import BindraceReplay
import BindraceTrace
import PropertyBased
import Testing

/// The task and time of a quoted event, against their spelling by
/// interpolation.
@Suite struct EventRefTests {
    private static let comms = ["modprobe", "", "kworker/u8:3", "systemd-udevd", "é日本", String(repeating: "c", count: 15)]

    @Test func taskTextNamesPidThreadAndComm() async {
        await propertyCheck(count: 500, input: Gen.uint32(in: 0...UInt32.max), Gen.uint32(in: 0...UInt32.max), Gen.int(in: 0...5)) { pid, other, c in
            let comm = Self.comms[c]
            // Half the events are a process's main thread.
            let tid = other % 2 == 0 ? pid : other
            let event = EventRef(index: 0, timestamp: 0, pid: pid, tid: tid, comm: comm, kind: .moduleLoad, what: "")
            let expected = tid == pid ? "pid \(pid) (\(comm))" : "pid \(pid)/\(tid) (\(comm))"
            #expect(event.taskText == expected)
        }
    }

    @Test func timeTextHasSixDigitsOfMicroseconds() async {
        let timestamps = Gen.oneOf(Gen.uint64(in: 0...UInt64.max), Gen.uint64(in: 0...2_000_000_000), Gen.uint64(in: 0...999_999))
        await propertyCheck(count: 500, input: timestamps) { t in
            let micros = String((t % 1_000_000_000) / 1000)
            let expected = "\(t / 1_000_000_000)." + String(repeating: "0", count: 6 - micros.count) + micros + "s"
            #expect(EventRef(index: 0, timestamp: t, pid: 1, tid: 1, comm: "", kind: .moduleLoad, what: "").timeText == expected)
        }
        #expect(EventRef(index: 0, timestamp: 1_000_200_000, pid: 1, tid: 1, comm: "", kind: .moduleLoad, what: "").timeText == "1.000200s")
    }
}
