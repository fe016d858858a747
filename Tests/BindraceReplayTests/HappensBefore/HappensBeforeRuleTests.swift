@testable import BindraceReplay
import BindraceTrace
import Testing

/// One test per rule: the edge exists when the rule's events are there, and
/// is absent without them.
@Suite struct HappensBeforeRuleTests {
    func hb(_ b: TraceBuilder, _ x: Int, _ y: Int) -> Bool {
        let (stamps, _) = b.stamps()
        return stamps[x].precedesOrEquals(stamps[y])
    }

    @Test func programOrderWithinATask() {
        var b = TraceBuilder()
        let a = b.add(10, "modprobe", .moduleLoad(module: "e1000"))
        let c = b.add(10, "modprobe", .moduleLoad(module: "vfio_pci"))
        let other = b.add(11, "modprobe", .moduleLoad(module: "nouveau"))
        #expect(hb(b, a, c))
        #expect(!hb(b, c, a))
        #expect(!hb(b, a, other) && !hb(b, other, a))
    }

    @Test func threadsAreSeparateTasks() {
        var b = TraceBuilder()
        let a = b.add(10, "modprobe", .moduleLoad(module: "e1000"), tid: 10)
        let c = b.add(10, "modprobe", .moduleLoad(module: "vfio_pci"), tid: 12)
        #expect(!hb(b, a, c))
    }

    @Test func forkOrdersParentBeforeChild() {
        var b = TraceBuilder()
        let before = b.add(1, "systemd", .marker(label: "x", value: 0))
        b.add(1, "systemd", .processFork(childPID: 20, childTID: 20, isThread: false))
        let child = b.add(20, "sh", .moduleLoad(module: "e1000"))
        let after = b.add(1, "systemd", .marker(label: "y", value: 0))
        #expect(hb(b, before, child))
        #expect(!hb(b, after, child) && !hb(b, child, after))
    }

    @Test func execKeepsTheTask() {
        var b = TraceBuilder()
        let a = b.add(20, "sh", .processExec(filename: "/sbin/modprobe"))
        let c = b.add(20, "modprobe", .moduleLoad(module: "e1000"))
        #expect(hb(b, a, c))
    }

    @Test func exitThenWait() {
        var b = TraceBuilder()
        let work = b.add(20, "modprobe", .moduleLoad(module: "e1000"))
        b.add(20, "modprobe", .processExit(code: 0))
        let unrelated = b.add(1, "sh", .marker(label: "before wait", value: 0))
        let waited = b.add(1, "sh", .processWait(childPID: 20))
        #expect(hb(b, work, waited))
        #expect(!hb(b, work, unrelated))
        // A wait for another child does not order.
        var c = TraceBuilder()
        let w2 = c.add(20, "modprobe", .moduleLoad(module: "e1000"))
        c.add(20, "modprobe", .processExit(code: 0))
        let other = c.add(1, "sh", .processWait(childPID: 21))
        #expect(!hb(c, w2, other))
    }

    @Test func moduleRequestToHelperAndBack() {
        var b = TraceBuilder()
        let request = b.add(300, "mount", .moduleRequest(name: "fs-foofs", wait: true))
        b.add(40, "kworker/u4:1", .processFork(childPID: 41, childTID: 41, isThread: false))
        let exec = b.add(41, "kworker/u4:1", .processExec(filename: "/sbin/modprobe"))
        let load = b.add(41, "modprobe", .moduleLoad(module: "foofs"))
        b.add(41, "modprobe", .processExit(code: 0))
        let back = b.add(300, "mount", .marker(label: "request returned", value: 0))
        #expect(hb(b, request, exec))
        #expect(hb(b, load, back))
    }

    @Test func moduleRequestWithoutWaitHasNoReturnEdge() {
        var b = TraceBuilder()
        let request = b.add(300, "kworker/0:1", .moduleRequest(name: "pci:v00008086d0000100Esv*", wait: false))
        b.add(40, "kworker/u4:1", .processFork(childPID: 41, childTID: 41, isThread: false))
        let exec = b.add(41, "kworker/u4:1", .processExec(filename: "/sbin/modprobe"))
        let load = b.add(41, "modprobe", .moduleLoad(module: "e1000"))
        b.add(41, "modprobe", .processExit(code: 0))
        let later = b.add(300, "kworker/0:1", .marker(label: "x", value: 0))
        #expect(hb(b, request, exec))
        #expect(!hb(b, load, later))
    }

    @Test func asyncScheduleRunAndSynchronize() {
        var b = TraceBuilder()
        let schedule = b.add(10, "modprobe", .asyncScheduled(cookie: 7, function: "__driver_attach_async_helper", device: "0000:00:02.0"))
        let run = b.add(50, "kworker/u4:2", .asyncRunStart(cookie: 7))
        let probe = b.add(50, "kworker/u4:2", .probeStart(device: "0000:00:02.0", driver: "vfio-pci", isAsync: true))
        b.add(50, "kworker/u4:2", .asyncRunEnd(cookie: 7))
        let unsynced = b.add(11, "modprobe", .marker(label: "x", value: 0))
        let sync = b.add(11, "modprobe", .asyncSynchronize(cookie: 0))
        let syncOlder = b.add(12, "modprobe", .asyncSynchronize(cookie: 7))
        #expect(hb(b, schedule, run))
        #expect(hb(b, probe, sync))
        #expect(!hb(b, probe, unsynced))
        // async_synchronize_cookie(7) waits only for entries before cookie 7.
        #expect(!hb(b, probe, syncOlder))
    }

    @Test func workqueueQueueThenExecute() {
        var b = TraceBuilder()
        let queue = b.add(10, "modprobe", .workQueued(work: 0xffff_8880_0000_1000, function: "deferred_probe_work_func"))
        let other = b.add(60, "kworker/1:0", .workStart(work: 0xffff_8880_0000_2000, function: "other"))
        let start = b.add(60, "kworker/1:0", .workStart(work: 0xffff_8880_0000_1000, function: "deferred_probe_work_func"))
        #expect(hb(b, queue, start))
        #expect(!hb(b, queue, other))
    }

    @Test func udevDeliversAndSerializesRelatedDevpaths() {
        var b = TraceBuilder()
        let gpu = "/devices/pci0000:00/0000:00:01.0/0000:01:00.0"
        let audio = "/devices/pci0000:00/0000:00:01.0/0000:01:00.1"
        let bridge = "/devices/pci0000:00/0000:00:01.0"
        let emitBridge = b.add(5, "kworker/0:1", .uevent(action: .add, devpath: bridge, seqnum: 100, subsystem: "pci"))
        b.add(5, "kworker/0:1", .uevent(action: .add, devpath: gpu, seqnum: 101, subsystem: "pci"))
        b.add(5, "kworker/0:1", .uevent(action: .add, devpath: audio, seqnum: 102, subsystem: "pci"))
        let w1 = b.add(400, "(udev-worker)", .uevent(action: .add, devpath: bridge, seqnum: 100, subsystem: "pci"))
        let bridgeWork = b.add(400, "(udev-worker)", .marker(label: "rules", value: 0))
        let gpuStart = b.add(401, "(udev-worker)", .uevent(action: .add, devpath: gpu, seqnum: 101, subsystem: "pci"))
        let gpuLoad = b.add(401, "(udev-worker)", .moduleLoad(module: "nouveau"))
        let audioStart = b.add(402, "(udev-worker)", .uevent(action: .add, devpath: audio, seqnum: 102, subsystem: "pci"))
        // Worker 400 finished the bridge event when it started 101? No: the
        // bridge event ends when worker 400 starts another event or exits.
        b.add(400, "(udev-worker)", .processExit(code: 0))
        _ = b.add(403, "(udev-worker)", .marker(label: "x", value: 0))
        #expect(hb(b, emitBridge, w1))            // delivery
        #expect(hb(b, emitBridge, gpuStart))
        #expect(!hb(b, gpuLoad, audioStart))      // GPU and its audio function: parallel
        #expect(!hb(b, bridgeWork, gpuStart))     // bridge still running: no edge claimed
        // Now a child event that starts after the parent's worker finished.
        var c = TraceBuilder()
        c.add(5, "kworker/0:1", .uevent(action: .add, devpath: bridge, seqnum: 100, subsystem: "pci"))
        c.add(5, "kworker/0:1", .uevent(action: .add, devpath: gpu, seqnum: 101, subsystem: "pci"))
        c.add(400, "(udev-worker)", .uevent(action: .add, devpath: bridge, seqnum: 100, subsystem: "pci"))
        let parentWork = c.add(400, "(udev-worker)", .marker(label: "rules", value: 0))
        c.add(400, "(udev-worker)", .processExit(code: 0))
        let childStart = c.add(401, "(udev-worker)", .uevent(action: .add, devpath: gpu, seqnum: 101, subsystem: "pci"))
        #expect(hb(c, parentWork, childStart))
    }

    @Test func udevWorkerLoadsModulesInProcess() {
        var b = TraceBuilder()
        b.add(5, "kworker/0:1", .uevent(action: .add, devpath: "/devices/pci0000:00/0000:00:02.0", seqnum: 9, subsystem: "pci"))
        let start = b.add(400, "(udev-worker)", .uevent(action: .add, devpath: "/devices/pci0000:00/0000:00:02.0", seqnum: 9, subsystem: "pci"))
        let register = b.add(400, "(udev-worker)", .driverRegisterStart(driver: "e1000", bus: "pci", probeType: .defaultStrategy))
        #expect(hb(b, start, register))
    }

    @Test func reusedTidIsANewTask() {
        var b = TraceBuilder()
        let first = b.add(20, "modprobe", .moduleLoad(module: "e1000"))
        b.add(20, "modprobe", .processExit(code: 0))
        b.add(1, "systemd", .processFork(childPID: 20, childTID: 20, isThread: false))
        let second = b.add(20, "modprobe", .moduleLoad(module: "vfio_pci"))
        #expect(!hb(b, first, second))
    }
}
