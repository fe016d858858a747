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
        // Finished events of the same, an ancestor or a descendant devpath
        // (the index answers without comparing against every devpath).
        for other in udevIndex.related(event.a0, strings: strings) {
            if let all = udevFinishedAll[other], seqnum > all.maxSeqnum {
                task.clock.join(all.clock)
                rulesSeen.insert(.udevSerialization)
                if recordsEdges {
                    for from in all.indices { edges.append(HBEdge(from: from, to: index, rule: .udevSerialization)) }
                }
                continue
            }
            guard let finished = udevFinished[other] else { continue }
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
        var list = udevFinished.removeValue(forKey: current.devpath) ?? []
        if list.isEmpty { udevIndex.noteFinished(current.devpath, strings: strings) }
        list.append((current.seqnum, Source(clock: task.clock, index: task.lastIndex)))
        if list.count > Self.udevFinishedKept { list.removeFirst(list.count - Self.udevFinishedKept) }
        udevFinished[current.devpath] = list
        var all = udevFinishedAll.removeValue(forKey: current.devpath) ?? FinishedJoin()
        all.maxSeqnum = max(all.maxSeqnum, current.seqnum)
        all.clock.join(task.clock)
        if recordsEdges { all.indices.append(task.lastIndex) }
        udevFinishedAll[current.devpath] = all
    }

    /// Same devpath, or one is an ancestor directory of the other.
    static func related(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        if a.isEmpty || b.isEmpty { return false }
        return a.hasPrefix(b + "/") || b.hasPrefix(a + "/")
    }
}

/// Devpaths that have finished udev events, indexed so that the devpaths
/// related to one (`HappensBeforeTracker.related`: equal text, an ancestor
/// directory or a descendant) are found by lookups along the path instead
/// of a scan of every devpath. Holds one entry per distinct devpath.
struct UdevPathIndex {
    /// Text → ids with that text (ids of finished devpaths).
    private var byText: [String: [StringID]] = [:]
    /// Ancestor directory text → ids of finished devpaths below it.
    private var below: [String: [StringID]] = [:]
    private var known = Set<StringID>()

    /// Every proper ancestor directory of `path` ("/a/b/c" → "/a", "/a/b").
    static func ancestors(_ path: String) -> [String] {
        var out: [String] = []
        let utf8 = Array(path.utf8)
        for (i, byte) in utf8.enumerated() where byte == UInt8(ascii: "/") && i > 0 {
            out.append(String(decoding: utf8[0..<i], as: UTF8.self))
        }
        return out
    }

    mutating func noteFinished(_ id: StringID, strings: StringTable) {
        guard known.insert(id).inserted else { return }
        let text = strings[id]
        byText[text, default: []].append(id)
        guard !text.isEmpty else { return }
        for a in Self.ancestors(text) { below[a, default: []].append(id) }
    }

    /// Ids of finished devpaths related to `id`.
    func related(_ id: StringID, strings: StringTable) -> [StringID] {
        let text = strings[id]
        var out = byText[text] ?? []
        guard !text.isEmpty else { return out }
        for a in Self.ancestors(text) { out += byText[a] ?? [] }
        out += below[text] ?? []
        return out
    }
}
