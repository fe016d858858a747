import BindraceTrace

// The recording half: each event moves clocks and becomes a step, a probe
// result, a binding seen, exactly as `TraceRecorder` records it.
extension StepStage {
    /// One event at trace position `index`. Inlined into the batch loop: the
    /// call cost each record acted on about thirty instructions.
    @inline(__always)
    mutating func consume(_ event: RecordView, kind: EventKind, stamp: CompactStamp?, location: Int?) {
        let i = index
        let tid = event.tid
        switch kind {
        case .uevent:
            // Stamped only when a udev worker takes an ADD event.
            if let stamp { keepUdevAddStamp(event, stamp) }
        case .probeStart:
            guard event.flags & RawFlags.async == 0 else { break }
            let open = taskSteps(tid).open
            guard open.place != .none else { break }
            let d = device(event.a0)
            if open.place == .own {
                guard open.handle == d, devices.lifetimes[current: Int(d)].generation == open.generation else { break }
                noteFirstProbe(d, ofOwn: Int(open.ownIndex), at: i)
            } else {
                devices.firstProbeOfGlobal[Int(d)].noteFirst(open.handle, at: i)
            }
        case .probeEnd:
            let d = device(event.a0), drv = driver(event.a1)
            let result = Int32(bitPattern: event.a3)
            // -EBUSY is the driver core refusing a bound device, not the driver's answer.
            if result != ProbeResult.busy { devices.lifetimes[current: Int(d)].outcomes.append(ProbeRecord(driver: drv, result: result)) }
            if result == 0 {
                devices.observed[Int(d)] = drv
                devices.unbindBeforeRemoval[Int(d)] = nil
            }
        case .bound:
            let d = device(event.a0)
            devices.observed[Int(d)] = driver(event.a1)
            devices.unbindBeforeRemoval[Int(d)] = nil
        case .unbound:
            let d = device(event.a0)
            devices.unbindBeforeRemoval[Int(d)] = PendingUnbind(driver: max(devices.observed[Int(d)], -1), tid: tid)
            devices.observed[Int(d)] = -1
        case .processExit:
            // The task's entry read and written once: its open step closed, no module loading.
            var t = taskSteps(tid)
            if t.open.place != .none { close(&t.open, at: i) }
            t.loadingModule = -1
            setTaskSteps(tid, t)
        case .moduleLoad:
            var t = taskSteps(tid)
            t.loadingModule = modules.cached(event.a0)
            if t.loadingModule < 0 { t.loadingModule = modules.remember(event.a0, text: DriverName.normalized(strings[event.a0])) }
            setTaskSteps(tid, t)
        case .moduleInitDone:
            var t = taskSteps(tid)
            t.loadingModule = -1
            if t.open.place != .none { close(&t.open, at: i) }
            setTaskSteps(tid, t)
        case .asyncScheduled:
            if event.a0 != 0, !strings[event.a0].isEmpty { cookieDevice[event.a4] = device(event.a0) }
        case .asyncRunStart:
            if let d = cookieDevice.removeValue(forKey: event.a4) { devices.lifetimes[current: Int(d)].asyncRuns.append(i) }
        case .driverRegisterEnd:
            registrationEnded(event, at: i)
        case .deviceRemove:
            if let stamp { release(stamp) }
            deviceRemoved(event, at: i)
        case .lost:
            lostEvents &+= event.a4
        default:
            if let stamp { recordStep(event, kind, stamp, index: i, location: location) }
        }
    }

    /// The events that become steps.
    private mutating func recordStep(_ event: RecordView, _ kind: EventKind, _ stamp: CompactStamp, index i: Int, location: Int?) {
        let tid = event.tid
        func make(_ k: CompactStepKind) -> CompactStep {
            CompactStep(id: nextStepID, kind: k, eventKind: kind, stamp: stamp, eventIndex: i, endIndex: i, location: location,
                        timestamp: event.timestamp, pid: event.pid, tid: tid, comm: text(event.comm))
        }
        switch kind {
        case .driverRegisterStart:
            var step = make(.register)
            let drv = driver(event.a1)
            let type = ProbeType(rawValue: event.a2) ?? .defaultStrategy
            step.driver = drv
            step.probeType = type
            step.preferAsyncOrSysfs = type == .preferAsynchronous
            step.forcedSync = type == .forceSynchronous
            step.module = taskSteps(tid).loadingModule
            if step.module >= 0 { moduleOfDriver[drivers.names[Int(drv)]] = modules[step.module] }
            addGlobal(step, opens: true, tid: tid, at: i)
        case .dynamicIDAdded, .sysfsNewID:
            guard let payload = Payload(raw: event.event, strings: strings), case let .dynamicIDAdded(name, id) = payload.normalizedNewID else {
                release(stamp)
                return
            }
            var step = make(.addID)
            step.driver = driver(named: name)
            step.matchID = matchIDs.intern(id)
            step.preferAsyncOrSysfs = kind == .sysfsNewID
            addGlobal(step, opens: true, tid: tid, at: i)
        case .sysfsRemoveID:
            guard case let .sysfsRemoveID(name, id)? = Payload(raw: event.event, strings: strings) else {
                release(stamp)
                return
            }
            var step = make(.removeID)
            step.driver = driver(named: name)
            step.matchID = matchIDs.intern(id)
            addGlobal(step, opens: false, tid: tid, at: i)
        case .asyncSynchronize:
            var step = make(.asyncBarrier)
            step.detail = event.a4
            addGlobal(step, opens: false, tid: tid, at: i)
        case .workStart:
            var step = make(.deferredRetry)
            step.detail = UInt64(text(event.a2))
            addGlobal(step, opens: true, tid: tid, at: i)
        case .deviceAdd:
            guard pciBus.value(event.a1, { strings[event.a1] == "pci" }) || event.flags & RawFlags.hasPCIIDs != 0 else {
                otherBusDevices.insert(strings[event.a0])
                release(stamp)
                return
            }
            let d = device(event.a0)
            deviceAdded(d, event)
            var step = make(.deviceAdd)
            step.device = d
            let added = devices.info[Int(d)] ?? AddedDevice()
            step.detail = UInt64(UInt32(bitPattern: added.ids + 1))
                | (event.flags & RawFlags.virtualFunction != 0 ? 1 << 40 : 0) | (event.flags & RawFlags.autoprobe != 0 ? 1 << 41 : 0)
            addOwn(step, opens: true, tid: tid, at: i)
        case .driverOverrideWritten:
            var step = make(.setOverride)
            step.device = device(event.a0)
            step.driver = strings[event.a1].isEmpty ? -1 : driver(event.a1)
            addOwn(step, opens: false, tid: tid, at: i)
        case .sysfsBind, .sysfsUnbind:
            var step = make(kind == .sysfsBind ? .bind : .unbind)
            step.device = device(event.a0)
            step.driver = driver(event.a1)
            addOwn(step, opens: kind == .sysfsBind, tid: tid, at: i)
        case .sysfsDriversProbe:
            var step = make(.driversProbe)
            step.device = device(event.a0)
            addOwn(step, opens: true, tid: tid, at: i)
        default:
            release(stamp)
        }
    }

    /// A stamped event (its stamp's clock at `clock`, `lanes` vectors of
    /// eight entries): a device's add, held when it can be (`holdAdd`), a
    /// step, or a udev worker taking an add; each but a held add with a
    /// row of the arena for its clock. Out of line, called from the batch
    /// loop: that loop is at the compiler's limit of blocks past which it
    /// inlines nothing into it, and without stamps its handling of the
    /// other events (nearly all it sees) keeps fewer values at hand.
    @inline(never)
    mutating func consumeStamped(_ event: RecordView, kind: EventKind, clock: UnsafePointer<UInt32>, lanes: Int, slot: Int32, location: Int?) {
        if lanes <= HeldStamp.lanes && holdsStamps {
            if kind == .deviceAdd && holdAdd(event, clock: clock, lanes: lanes, slot: slot, location: location) { return }
            if kind == .uevent {
                holdUdevAddStamp(event, HeldStamp(slot: slot, clock: clock, lanes: lanes))
                return
            }
        }
        let row = arena.allocate(copyingVectors: clock, lanes: lanes)
        // A stamp's count is its own slot's entry of its clock.
        let stamp = CompactStamp(slot: slot, count: clock[Int(slot)], row: row)
        if kind == .uevent {
            // The commonest after adds, handled here as `consume` handles it.
            keepUdevAddStamp(event, stamp)
        } else {
            consumeRarely(event, kind: kind, stamp: stamp, location: location)
        }
    }

    /// A udev worker took the ADD event of the device at the event's
    /// devpath: the first such stamp of the device's current lifetime is kept.
    @inline(__always)
    private mutating func keepUdevAddStamp(_ event: RecordView, _ stamp: CompactStamp) {
        let path = Int(devpath(event.a0))
        if keepsUdevAddStamp(path) { release(stamp) } else { udevAddStamp[path] = stamp }
    }

    /// Whether a take of devpath `path`'s ADD event is kept already, with a row or held.
    @inline(__always)
    private func keepsUdevAddStamp(_ path: Int) -> Bool { udevAddStamp[path] != nil || !udevAddHeld[path].isEmpty }

    /// `keepUdevAddStamp` for a stamp held as a value (`HeldStamp`): no
    /// row taken, none to give back when another take, the device's next
    /// add or the lifetime's end lets it go.
    @inline(__always)
    private mutating func holdUdevAddStamp(_ event: RecordView, _ stamp: HeldStamp) {
        let path = Int(devpath(event.a0))
        if !keepsUdevAddStamp(path) { udevAddHeld[path] = stamp }
        udevStampsHeld &+= 1
    }

    /// `consume` out of line, for the stamped events that are neither held
    /// adds nor udev workers' stamps (steps, mostly): inlined here too, it
    /// put `consumeStamped` past the inliner's limit of blocks.
    @inline(never)
    private mutating func consumeRarely(_ event: RecordView, kind: EventKind, stamp: CompactStamp, location: Int?) {
        consume(event, kind: kind, stamp: stamp, location: location)
    }

    /// A device's add, held as a value (`HeldAdd`) when it is the first
    /// step of the device's current lifetime: what `recordStep` and `addOwn`
    /// do for it, but for making it a step. False, with nothing recorded,
    /// when it must be a step (another bus, a lifetime with steps already).
    /// `clock`: the stamp's clock, `lanes` (1 or 2) vectors of eight entries.
    @inline(__always)
    private mutating func holdAdd(_ event: RecordView, clock: UnsafePointer<UInt32>, lanes: Int, slot: Int32, location: Int?) -> Bool {
        guard pciBus.value(event.a1, { strings[event.a1] == "pci" }) || event.flags & RawFlags.hasPCIIDs != 0 else { return false }
        let d = device(event.a0)
        guard devices.lifetimes[current: Int(d)].own.isEmpty && !devices.lifetimes[current: Int(d)].holdsAdd else { return false }
        let i = index, tid = event.tid
        deviceAdded(d, event)
        let comm = text(event.comm)
        let ids = devices.info[Int(d)]?.ids ?? -1
        devices.lifetimes[current: Int(d)].holdsAdd = true
        devices.lifetimes.held(current: Int(d)).pointee = HeldAdd(
            id: nextStepID, eventIndex: i, location: location, timestamp: event.timestamp, pid: event.pid, tid: tid, comm: comm,
            detail: UInt64(UInt32(bitPattern: ids + 1))
                | (event.flags & RawFlags.virtualFunction != 0 ? 1 << 40 : 0) | (event.flags & RawFlags.autoprobe != 0 ? 1 << 41 : 0),
            stamp: HeldStamp(slot: slot, clock: clock, lanes: lanes))
        // As `addOwn`: the task's open step closed, this one opened.
        var t = taskSteps(tid)
        if t.open.place != .none { close(&t.open, at: i) }
        nextStepID += 1
        t.open = OpenStep(place: .own, handle: d, ownIndex: 0, generation: devices.lifetimes[current: Int(d)].generation)
        setTaskSteps(tid, t)
        addsHeld &+= 1
        return true
    }

    /// Own step `k` of device `d`'s current lifetime probed the device at
    /// event `i`; the first such event is kept.
    @inline(__always)
    mutating func noteFirstProbe(_ d: Int32, ofOwn k: Int, at i: Int) {
        let lifetime = devices.lifetimes.current(Int(d))
        if lifetime.pointee.holdsAdd {
            // The held add is the lifetime's only step (index 0).
            let held = devices.lifetimes.held(current: Int(d))
            if held.pointee.firstProbe < 0 { held.pointee.firstProbe = i }
        } else if lifetime.pointee.own[k].firstProbe < 0 {
            lifetime.pointee.own[k].firstProbe = i
        }
    }

    /// Makes the held add of device `d`'s current lifetime its first own step, in place.
    mutating func makeHeldAddStep(_ d: Int32) {
        devices.lifetimes[current: Int(d)].makeHeldAddStep(device: d, from: devices.lifetimes.held(current: Int(d)), in: &arena)
    }

    /// Device `d`'s lifetime (current, or `chosen`) is read in full, or
    /// taken out of its slot: what it holds as values (its add, its udev
    /// stamp) becomes what the recording would have kept.
    mutating func letGoOfHeld(_ d: Int32, chosen: Bool = false) {
        let slots = devices.lifetimes, i = Int(d)
        let lifetime = chosen ? slots.chosen(i) : slots.current(i)
        lifetime.pointee.letGoOfHeld(device: d, add: chosen ? slots.held(chosen: i) : slots.held(current: i),
                                     udev: chosen ? slots.udevStamp(chosen: i) : slots.udevStamp(current: i), in: &arena)
    }

    /// A removal ends the device's current lifetime (it is no step of its own).
    @inline(__always)
    private mutating func deviceRemoved(_ event: RecordView, at i: Int) {
        let tid = event.tid
        let d = device(event.a0)
        if !otherBusDevices.isEmpty && otherBusDevices.contains(devices.names[Int(d)]) { return }
        // The removing task usually has no step open: looked at here, not through a call.
        if taskSteps(tid).open.place != .none { closeStep(tid, at: i) }
        var observed = max(devices.observed[Int(d)], -1)
        // An unbind by the removing task itself is part of the removal.
        if let unbind = devices.unbindBeforeRemoval[Int(d)] {
            devices.unbindBeforeRemoval[Int(d)] = nil
            if unbind.tid == tid { observed = unbind.driver }
        }
        endLifetime(d, observed: observed, endStepID: nextStepID, endEvent: i)
        devices.observed[Int(d)] = -2
        // The removal starts no lifetime's window: no lifetime uses it.
        nextStepID += 1
    }

    @inline(__always)
    private mutating func deviceAdded(_ d: Int32, _ event: RecordView) {
        var ids: Int32 = -1
        if event.flags & RawFlags.hasPCIIDs != 0 {
            // The ids as stored; a device comes back with the ones it had.
            let raw = (event.a2, event.a3, UInt32(event.a4 & 0xFF_FFFF))
            if let last = devices.info[Int(d)], last.ids >= 0, devices.rawIDs[Int(d)] == raw {
                ids = last.ids
            } else {
                ids = deviceIDs.intern(PCIDeviceIDs(
                    vendor: UInt16(event.a2 >> 16), device: UInt16(event.a2 & 0xFFFF),
                    subvendor: UInt16(event.a3 >> 16), subdevice: UInt16(event.a3 & 0xFFFF),
                    classCode: UInt32(event.a4 & 0xFF_FFFF)))
                devices.rawIDs[Int(d)] = raw
            }
        }
        let path = devpath(StringID(event.a4 >> 32))
        if !devices.listed[Int(d)] {
            devices.listed[Int(d)] = true
            deviceOrder.append(d)
        }
        devices.info[Int(d)] = AddedDevice(ids: ids, devpath: path, isVirtualFunction: event.flags & RawFlags.virtualFunction != 0,
                                           autoprobe: event.flags & RawFlags.autoprobe != 0)
        // A new lifetime: udev has not taken this add yet.
        if let old = udevAddStamp[Int(path)] {
            release(old)
            udevAddStamp[Int(path)] = nil
        }
        udevAddHeld[Int(path)].count = 0
    }

    mutating func ensureDevpath(_ path: Int32) {
        if Int(path) >= udevAddStamp.count {
            udevAddStamp.extend(to: max(Int(path) + 1, udevAddStamp.count * 2, 64), with: nil)
            udevAddHeld.extend(to: udevAddStamp.count, with: HeldStamp())
        }
    }

    // MARK: steps

    private mutating func addGlobal(_ step: CompactStep, opens: Bool, tid: UInt32, at i: Int) {
        closeStep(tid, at: i)
        let handle = Int32(globals.count)
        globals.append(step)
        nextStepID += 1
        switch step.kind {
        case .register: registered(handle)
        case .addID: addedID(handle)
        case .removeID: removeIDs.append(handle)
        case .asyncBarrier: barriers.append(handle)
        case .deferredRetry: retries.append(handle)
        default: break
        }
        if opens {
            var t = taskSteps(tid)
            t.open = OpenStep(place: .global, handle: handle)
            setTaskSteps(tid, t)
        }
    }

    private mutating func addOwn(_ step: CompactStep, opens: Bool, tid: UInt32, at i: Int) {
        // The task's entry read and written once: closing its open step and
        // opening this one were two lookups and two writes of the table.
        var t = taskSteps(tid)
        let closed = t.open.place != .none
        if closed { close(&t.open, at: i) }
        let d = Int(step.device)
        // A second step: the held add becomes the first.
        if devices.lifetimes[current: d].holdsAdd { makeHeldAddStep(step.device) }
        devices.lifetimes[current: d].own.append(step)
        nextStepID += 1
        if opens {
            t.open = OpenStep(place: .own, handle: step.device, ownIndex: Int32(devices.lifetimes[current: d].own.count - 1),
                              generation: devices.lifetimes[current: d].generation)
        }
        if opens || closed { setTaskSteps(tid, t) }
    }

    /// The task moved on: its open step is over (a registration's end is known).
    mutating func closeStep(_ tid: UInt32, at i: Int) {
        var t = taskSteps(tid)
        guard t.open.place != .none else { return }
        close(&t.open, at: i)
        setTaskSteps(tid, t)
    }

    /// Ends an open step: a registration's end is known.
    @inline(__always)
    private mutating func close(_ open: inout OpenStep, at i: Int) {
        if open.place == .global, globals[Int(open.handle)].kind == .register {
            globals[Int(open.handle)].endIndex = i
            globals[Int(open.handle)].closed = true
        }
        open = OpenStep()
    }

    private mutating func registered(_ handle: Int32) {
        let drv = globals[Int(handle)].driver
        let isNew = drivers.rank[Int(drv)] < 0
        if isNew {
            drivers.rank[Int(drv)] = Int32(registeredDrivers.count)
            registeredDrivers.append(drv)
        }
        drivers.addRegistration(drv, handle)
        let module = globals[Int(handle)].module
        drivers.module[Int(drv)] = module
        candidates.registered(drv, name: drivers.names[Int(drv)], module: module >= 0 ? modules[module] : nil, isNew: isNew)
    }

    private mutating func addedID(_ handle: Int32) {
        let step = globals[Int(handle)]
        drivers.addAddID(step.driver, handle)
        allAddIDs.append(handle)
        candidates.addedID(handle, matchIDs[step.matchID])
    }

    /// A driver_register_end: the registration it ends, if it failed.
    mutating func registrationEnded(_ event: RecordView, at i: Int) {
        let open = taskSteps(event.tid).open
        guard open.place == .global, globals[Int(open.handle)].kind == .register,
              globals[Int(open.handle)].driver == driver(event.a1) else { return }
        if Int32(bitPattern: event.a3) != 0 {
            globals[Int(open.handle)].failedAt = i
            registrationFailures += 1
        }
        closeStep(event.tid, at: i)
    }

    // MARK: start snapshot

    /// PCI devices present when the capture started (`TraceRecorder.seedDevices`).
    mutating func seedDevices(from snapshot: Snapshot) {
        let autoprobe = Dictionary(snapshot.pciDevices.map { ($0.address, $0.sriovDriversAutoprobe ?? true) }, uniquingKeysWith: { a, _ in a })
        let noPath = devpaths.symbol(named: "")
        ensureDevpath(noPath)
        for pci in snapshot.pciDevices {
            let d = Int(device(named: pci.address))
            guard !devices.listed[d] else { continue }
            devices.listed[d] = true
            deviceOrder.append(Int32(d))
            let pf = pci.physicalFunction
            let ids = deviceIDs.intern(pci.ids)
            devices.info[d] = AddedDevice(ids: ids, devpath: noPath, isVirtualFunction: pf != nil,
                                          autoprobe: pf.flatMap { autoprobe[$0] } ?? true)
            if let bound = pci.driver, !bound.isEmpty {
                devices.boundBeforeCapture[d] = bound
                devices.observed[d] = driver(named: bound)
                continue
            }
            var add = CompactStep(id: nextStepID, kind: .deviceAdd, eventKind: .deviceAdd, stamp: .beforeCapture, eventIndex: -1, endIndex: -1)
            add.device = Int32(d)
            add.detail = UInt64(ids + 1)
            devices.lifetimes[current: d].own.append(add)
            nextStepID += 1
            if let override = pci.driverOverride, !override.isEmpty {
                var step = CompactStep(id: nextStepID, kind: .setOverride, eventKind: .driverOverrideWritten, stamp: .beforeCapture, eventIndex: -1, endIndex: -1)
                step.device = Int32(d)
                step.driver = driver(named: override)
                devices.lifetimes[current: d].own.append(step)
                nextStepID += 1
            }
        }
    }
}
