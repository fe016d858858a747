import BindraceTrace

// systemd-udevd (src/udev/udevd.c, event_queue_start / event_is_blocked):
// a uevent recorded in a kernel task is the kernel sending it; the same
// seqnum recorded in a udev task (comm systemd-udevd or (udev-worker)) is a
// worker starting to handle it. A worker's event ends when it starts its
// next one or exits. udevd holds back an event while an earlier event
// (lower seqnum) for the same devpath, or a parent or child devpath, is
// being handled, so those earlier events' ends precede its start. Events for
// unrelated devpaths (a GPU's VGA and audio functions) run in parallel.
// Module loads a worker does itself (libkmod, in-process) are program order.
extension HappensBeforeTracker {
    static let udevFinishedKept = 4

    mutating func ruleUeventEmit(_ event: RawEvent, task: Task, source: Source, strings: StringTable) {
        guard task.udevEvent?.seqnum != event.a4 else { return }  // a worker's receipt
        ueventsEmitted[event.a4] = source
    }

    mutating func ruleUeventReceive(_ event: RawEvent, task: inout Task, index: Int, strings: StringTable) {
        guard classifier.role(of: event.comm, strings: strings) == .udev else { return }
        ruleUdevFinish(task: &task, strings: strings)
        let seqnum = event.a4
        if let sent = ueventsEmitted.removeValue(forKey: seqnum) { join(&task, sent, rule: .udevDelivery, to: index) }
        let path = text(of: event.a0, strings: strings)
        for (other, finished) in udevFinished where Self.related(path, text(of: other, strings: strings)) {
            for item in finished where item.seqnum < seqnum {
                join(&task, item.source, rule: .udevSerialization, to: index)
            }
        }
        task.udevEvent = (seqnum, event.a0)
    }

    /// Ends the event the worker was handling, if any.
    mutating func ruleUdevFinish(task: inout Task, strings: StringTable) {
        guard let current = task.udevEvent, task.lastIndex >= 0 else { return }
        task.udevEvent = nil
        var list = udevFinished[current.devpath] ?? []
        list.append((current.seqnum, Source(clock: task.clock, index: task.lastIndex)))
        if list.count > Self.udevFinishedKept { list.removeFirst(list.count - Self.udevFinishedKept) }
        udevFinished[current.devpath] = list
    }

    mutating func text(of id: StringID, strings: StringTable) -> String {
        if let t = devpathText[id] { return t }
        let t = strings[id]
        devpathText[id] = t
        return t
    }

    /// Same devpath, or one is an ancestor directory of the other.
    static func related(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        if a.isEmpty || b.isEmpty { return false }
        return a.hasPrefix(b + "/") || b.hasPrefix(a + "/")
    }
}
