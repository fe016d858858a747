import BindraceMatch
import BindraceReplay
import BindraceTrace

/// Re-records a trace under a what-if configuration. The recorded events
/// keep their tasks and order, so the happens-before structure the replay
/// derives is the recorded one; only what the configuration drives changes:
/// - the snapshot's modprobe.d and command line (the match tables the replay
///   resolves, blacklists, aliases, driver_async_probe=);
/// - vfio-pci's `ids=` dynamic ids: the recorded ones are dropped and the
///   configured ones are added right after vfio-pci's registration returns,
///   in the registering task (where vfio_pci_init adds them);
/// - a new `softdep M pre: X`: X's recorded load (module_load to
///   module_init_done, in its task) moves into the task that loads M, just
///   before M, as modprobe M would do it;
/// - `--override BDF=DRIVER`: a driver_override write right after the
///   device's device_add, in the adding task (the earliest a udev rule can
///   write it; a driver already registered has probed the device by then).
/// Event positions change, so racing events quote the rewritten trace.
public enum TraceRewriter {
    public struct Outcome {
        public var facts: TraceFacts
        public var failure: TraceError?
        /// What was changed and what could not be modelled.
        public var notes: [String]
    }

    enum Item {
        case event(Event)
        case snapshot(Snapshot)
    }

    public static func rewrite<Source: ByteSource>(_ input: inout TraceInput<Source>, name: String, whatIf: WhatIfConfig) -> Outcome {
        var items: [Item] = []
        var failure: TraceError?
        do {
            while let item = try input.next() {
                switch item {
                case .events(let chunk):
                    let strings = input.strings
                    for raw in chunk.events { if let e = Event(raw: raw, strings: strings) { items.append(.event(e)) } }
                case .snapshot(let s, _, _): items.append(.snapshot(s))
                }
            }
        } catch {
            failure = error
        }
        var notes: [String] = []
        let recorded = items.compactMap { if case .snapshot(let s) = $0 { s } else { nil } }
        let start = recorded.first { $0.phase == .start } ?? recorded.first ?? Snapshot()
        if recorded.isEmpty { items.insert(.snapshot(start), at: 0) }
        let modprobe = whatIf.modprobeFiles ?? start.modprobeConfig
        let commandLine = whatIf.commandLine ?? start.commandLine

        // Snapshots: the changed configuration.
        items = items.map { item in
            guard case .snapshot(var s) = item else { return item }
            s.modprobeConfig = modprobe
            s.commandLine = commandLine
            return .snapshot(s)
        }
        var events = items
        if whatIf.changesConfig {
            var ignored: [String] = []
            let before = VFIOIDs.ids(modprobeFiles: start.modprobeConfig, commandLine: start.commandLine, builtin: start.builtinModules, notes: &ignored)
            let after = VFIOIDs.ids(modprobeFiles: modprobe, commandLine: commandLine, builtin: start.builtinModules, notes: &notes)
            if before != after { events = rewriteVFIOIDs(events, ids: after, notes: &notes) }
            events = applySoftdeps(events, recorded: start.modprobeConfig, changed: modprobe, notes: &notes)
        }
        for o in whatIf.overrides { events = inject(o, into: events, notes: &notes) }

        // Record the rewritten stream through the normal reader.
        var bytes: [UInt8] = []
        do {
            var writer = try JSONLTraceWriter(sink: MemoryByteSink())
            for item in events {
                switch item {
                case .event(let e): try writer.write(e)
                case .snapshot(let s): try writer.write(s)
                }
            }
            bytes = writer.sink.bytes
        } catch {
            notes.append("what-if: the rewritten trace could not be written: \(error)")
        }
        do {
            var rewritten = try TraceInput(source: MemoryByteSource(bytes), encoding: .jsonl)
            var (facts, _) = TraceRecorder.record(name: name, input: &rewritten)
            facts.diagnostics += input.diagnostics
            return Outcome(facts: facts, failure: failure, notes: notes.map { "\(name): \($0)" })
        } catch {
            return Outcome(facts: TraceFacts(name: name), failure: failure ?? error, notes: notes)
        }
    }

    static func rewriteVFIOIDs(_ items: [Item], ids: [PCIMatchID], notes: inout [String]) -> [Item] {
        var out: [Item] = []
        var dropped = 0, registrations = 0
        for item in items {
            guard case .event(let e) = item else { out.append(item); continue }
            switch e.payload {
            case .dynamicIDAdded(let driver, _) where DriverName.isPlainVFIO(driver) && DriverName.normalized(driver) == "vfio_pci":
                dropped += 1
                continue
            case .driverRegisterEnd(let driver, _, let result) where DriverName.normalized(driver) == "vfio_pci" && result == 0:
                out.append(item)
                registrations += 1
                for id in ids {
                    out.append(.event(Event(timestamp: e.timestamp, cpu: e.cpu, pid: e.pid, tid: e.tid, comm: e.comm,
                                            payload: .dynamicIDAdded(driver: driver, id: id))))
                }
                continue
            default:
                out.append(item)
            }
        }
        notes.append("what-if: vfio-pci ids= replaced: \(dropped) recorded dynamic id(s) dropped, \(ids.count) added after each of \(registrations) vfio-pci registration(s)")
        if registrations == 0 && !ids.isEmpty {
            notes.append("what-if: vfio-pci never registers in the trace, so its ids= cannot take effect (loading it is not modelled)")
        }
        return out
    }

    static func applySoftdeps(_ items: [Item], recorded: [SnapshotFile], changed: [SnapshotFile], notes: inout [String]) -> [Item] {
        func softdeps(_ files: [SnapshotFile]) -> [ModprobeConfig.Softdep] {
            files.flatMap { (try? ModprobeConfigParser.parse($0.text, file: $0.path).softdeps) ?? [] }
        }
        let old = Set(softdeps(recorded).map { "\($0.module) \($0.pre) \($0.post)" })
        var items = items
        for dep in softdeps(changed) where !old.contains("\(dep.module) \(dep.pre) \(dep.post)") {
            if !dep.post.isEmpty { notes.append("what-if: softdep \(dep.module) post: is not modelled (the recorded order is kept)") }
            for pre in dep.pre.reversed() { items = movePre(pre, before: dep.module, in: items, notes: &notes) }
        }
        return items
    }

    /// Moves module `pre`'s load into the task that loads `module`, before it.
    static func movePre(_ pre: String, before module: String, in items: [Item], notes: inout [String]) -> [Item] {
        func load(_ name: String) -> Int? {
            items.firstIndex { if case .event(let e) = $0, case .moduleLoad(let m) = e.payload { DriverName.normalized(m) == DriverName.normalized(name) } else { false } }
        }
        guard let target = load(module), case .event(let anchor) = items[target] else { return items }
        guard let first = load(pre), case .event(let loader) = items[first] else {
            notes.append("what-if: softdep \(module) pre: \(pre): \(pre) is never loaded in the trace, loading it is not modelled")
            return items
        }
        if loader.tid == anchor.tid && first < target { return items }
        var block: [Int] = []
        for i in first..<items.count {
            guard case .event(let e) = items[i], e.tid == loader.tid else { continue }
            block.append(i)
            if case .moduleInitDone(let m, _) = e.payload, DriverName.normalized(m) == DriverName.normalized(pre) { break }
            if case .processExit = e.payload { break }
        }
        let moved = block.map { i -> Item in
            guard case .event(var e) = items[i] else { return items[i] }
            e.pid = anchor.pid
            e.tid = anchor.tid
            e.comm = anchor.comm
            e.timestamp = anchor.timestamp
            return .event(e)
        }
        let drop = Set(block)
        var out: [Item] = []
        for (i, item) in items.enumerated() {
            if i == target { out += moved }
            if !drop.contains(i) { out.append(item) }
        }
        notes.append("what-if: softdep \(module) pre: \(pre): \(block.count) events of \(pre)'s load moved into pid \(anchor.pid) before \(module) loads")
        return out
    }

    static func inject(_ o: WhatIfConfig.Override, into items: [Item], notes: inout [String]) -> [Item] {
        var out: [Item] = []
        var done = false
        for item in items {
            out.append(item)
            guard !done, case .event(let e) = item, case .deviceAdd(let a) = e.payload, a.device == o.device else { continue }
            out.append(.event(Event(timestamp: e.timestamp, cpu: e.cpu, pid: e.pid, tid: e.tid, comm: e.comm,
                                    payload: .driverOverrideWritten(device: o.device, driver: o.driver))))
            done = true
        }
        notes.append(done
            ? "what-if: driver_override \(o.device) = \(o.driver) written right after its device_add"
            : "what-if: \(o.device) is never added in the trace: --override \(o.device)=\(o.driver) has no effect")
        return out
    }
}
