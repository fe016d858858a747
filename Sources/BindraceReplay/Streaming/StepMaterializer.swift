import BindraceTrace

// Compact steps back into the baseline's `Step`s, with the text and clocks
// explanations quote. Only for lifetimes the memo has not seen and for the
// one lifetime per device a report shows.
extension StepStage {
    /// The projected lifetime (`scratch.projection`) as `LifetimeAnalysis` takes it.
    mutating func lifetimeCase(_ d: Int32, _ lifetime: StreamLifetime) -> LifetimeCase {
        let projection = scratch.projection
        let name = devices.names[Int(d)]
        let cut = lifetime.endEvent
        var steps: [Step] = []
        steps.reserveCapacity(projection.refs.count)
        for ref in (0..<projection.refs.count).map({ projection.refs.base[$0] }) {
            let s = step(ref, own: lifetime.own)
            var firstProbe: [String: Int] = [:]
            if ref < 0 {
                if s.firstProbe >= 0 { firstProbe[name] = s.firstProbe }
            } else if let fp = devices.firstProbeOfGlobal[Int(d)][ref], cut.map({ fp < $0 }) ?? true {
                firstProbe[name] = fp
            }
            steps.append(Step(id: s.id, action: action(s, handle: ref), event: ref >= 0 ? globalEventRef(ref, s) : eventRef(s), stamp: clockStamp(s.stamp),
                              endIndex: endIndex(of: s, cut: cut), firstProbe: firstProbe))
        }
        let info = lifetime.info.map { deviceInfo(name, $0) }
        var results: [String: [Int32]] = [:]
        for r in resultsInEffect(d, lifetime) { results[drivers.names[Int(r.driver)], default: []].append(r.result) }
        let context = baseContext.lifetime(of: name, info: info, outcomes: ProbeOutcomes(device: name, results: results))
        let deviceProjection = DeviceProjection(
            device: name, steps: steps, candidates: (0..<projection.candidates.count).map { drivers.names[Int(projection.candidates.base[$0])] },
            missingOverrideDrivers: (0..<projection.missing.count).map { drivers.names[Int(projection.missing.base[$0])] },
            configuredDrivers: Set((0..<projection.configured.count).map { drivers.names[Int(projection.configured.base[$0])] }))
        return LifetimeCase(
            device: name, info: info, projection: deviceProjection,
            observed: lifetime.observed < 0 ? nil : drivers.names[Int(lifetime.observed)], asyncRuns: lifetime.asyncRuns,
            context: context, udevAddStamp: lifetime.udevStamp.map { clockStamp($0) },
            boundBeforeCapture: lifetime.ordinal == 0 ? devices.boundBeforeCapture[Int(d)] : nil)
    }

    mutating func deviceInfo(_ name: String, _ added: AddedDevice) -> DeviceInfo {
        DeviceInfo(name: name, ids: added.ids >= 0 ? deviceIDs[added.ids] : nil, devpath: added.devpath >= 0 ? devpaths[added.devpath] : "",
                   isVirtualFunction: added.isVirtualFunction, autoprobe: added.autoprobe)
    }

    mutating func action(_ s: CompactStep, handle: Int32) -> StepAction {
        let device = s.device >= 0 ? devices.names[Int(s.device)] : ""
        let driver = s.driver >= 0 ? drivers.names[Int(s.driver)] : ""
        switch s.kind {
        case .deviceAdd: return .deviceAdd(device: device)
        case .deviceRemove: return .deviceRemove(device: device)
        case .register:
            return .driverRegister(driver: driver, module: s.module >= 0 ? modules[s.module] : nil, isAsync: isAsync(handle))
        case .addID: return .addID(driver: driver, id: matchIDs[s.matchID])
        case .removeID: return .removeID(driver: driver, id: matchIDs[s.matchID])
        case .setOverride: return .setOverride(device: device, driver: s.driver >= 0 ? driver : nil)
        case .bind: return .bind(device: device, driver: driver)
        case .unbind: return .unbind(device: device, driver: driver)
        case .driversProbe: return .driversProbe(device: device)
        case .asyncBarrier: return .asyncBarrier
        case .deferredRetry: return .deferredRetry
        }
    }

    /// A global step's event: from `finalEventRefs` while the final cases
    /// are built (a global step's event text does not change once the
    /// trace has ended), else named afresh.
    mutating func globalEventRef(_ ref: Int32, _ s: CompactStep) -> EventRef {
        guard finalEventRefs.isActive else { return eventRef(s) }
        if let known = finalEventRefs[ref] { return known }
        let named = eventRef(s)
        finalEventRefs.remember(named, for: ref)
        return named
    }

    mutating func eventRef(_ s: CompactStep) -> EventRef {
        let device = s.device >= 0 ? devices.names[Int(s.device)] : ""
        let driver = s.driver >= 0 ? drivers.names[Int(s.driver)] : ""
        if s.isSeeded {
            let what = s.kind == .deviceAdd
                ? StepText.presentAtStart(device, ids: deviceIDs[Int32(s.detail) - 1])
                : StepText.overrideAtStart(device, driver: driver)
            return EventRef(index: -1, timestamp: 0, pid: 0, tid: 0, comm: StepText.beforeCapture, kind: s.eventKind, what: what)
        }
        let what: String
        switch s.kind {
        case .register: what = StepText.register(driver: driver, type: s.probeType)
        case .addID: what = StepText.addID(driver: driver, id: matchIDs[s.matchID], sysfs: s.preferAsyncOrSysfs)
        case .removeID: what = StepText.removeID(driver: driver, id: matchIDs[s.matchID])
        case .deviceAdd:
            let ids = Int32(truncatingIfNeeded: s.detail & 0xFFFF_FFFF) - 1
            let info = DeviceInfo(name: device, ids: ids >= 0 ? deviceIDs[ids] : nil,
                                  isVirtualFunction: s.detail & 1 << 40 != 0, autoprobe: s.detail & 1 << 41 != 0)
            what = StepText.deviceAdd(info)
        case .deviceRemove: what = StepText.deviceRemove(device)
        case .setOverride: what = StepText.override(device: device, driver: driver)
        case .bind: what = StepText.bind(device: device, driver: driver)
        case .unbind: what = StepText.unbind(device: device, driver: driver)
        case .driversProbe: what = StepText.driversProbe(device: device)
        case .asyncBarrier: what = StepText.asyncBarrier(cookie: s.detail)
        case .deferredRetry: what = StepText.deferredRetry(function: texts[Int32(s.detail)])
        }
        return EventRef(index: s.eventIndex, location: s.location, timestamp: s.timestamp, pid: s.pid, tid: s.tid,
                        comm: texts[s.comm], kind: s.eventKind, what: what)
    }
}
