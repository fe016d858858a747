// Each kind's JSONL fields, written and read side by side so the two cannot
// drift apart. docs/trace-format.md lists the same fields.

extension Payload {
    /// The kind-specific members of the event's JSON object, in writing order.
    func jsonFields() -> [(String, JSONValue)] {
        switch self {
        case .processFork(let childPID, let childTID, let isThread):
            return [("child_pid", .uint(UInt64(childPID))), ("child_tid", .uint(UInt64(childTID))), ("thread", .bool(isThread))]
        case .processExec(let filename): return [("filename", .string(filename))]
        case .processExit(let code): return [("code", .int(Int64(code)))]
        case .processWait(let childPID): return [("child_pid", .uint(UInt64(childPID)))]
        case .moduleLoad(let module): return [("module", .string(module))]
        case .moduleRequest(let name, let wait): return [("name", .string(name)), ("wait", .bool(wait))]
        case .moduleInitDone(let module, let result): return [("module", .string(module)), ("result", .int(Int64(result)))]
        case .driverRegisterStart(let driver, let bus, let probeType):
            return [("driver", .string(driver)), ("bus", .string(bus)), ("probe_type", .string(probeType.name))]
        case .driverRegisterEnd(let driver, let bus, let result):
            return [("driver", .string(driver)), ("bus", .string(bus)), ("result", .int(Int64(result)))]
        case .dynamicIDAdded(let driver, let id), .sysfsNewID(let driver, let id), .sysfsRemoveID(let driver, let id):
            return [("driver", .string(driver)), ("id", Self.json(id))]
        case .deviceAdd(let a):
            var fields: [(String, JSONValue)] = [("device", .string(a.device)), ("bus", .string(a.bus)), ("devpath", .string(a.devpath))]
            if let ids = a.pci { fields.append(("pci", Self.json(ids))) }
            fields.append(("virtfn", .bool(a.isVirtualFunction)))
            fields.append(("autoprobe", .bool(a.autoprobe)))
            return fields
        case .deviceRemove(let device, let bus): return [("device", .string(device)), ("bus", .string(bus))]
        case .driverOverrideWritten(let device, let driver): return [("device", .string(device)), ("driver", .string(driver))]
        case .sysfsBind(let device, let driver, let result), .sysfsUnbind(let device, let driver, let result):
            return [("device", .string(device)), ("driver", .string(driver)), ("result", .int(Int64(result)))]
        case .sysfsDriversProbe(let device, let result): return [("device", .string(device)), ("result", .int(Int64(result)))]
        case .probeStart(let device, let driver, let isAsync):
            return [("device", .string(device)), ("driver", .string(driver)), ("async", .bool(isAsync))]
        case .probeEnd(let device, let driver, let result):
            return [("device", .string(device)), ("driver", .string(driver)), ("result", .int(Int64(result)))]
        case .bound(let device, let driver), .unbound(let device, let driver):
            return [("device", .string(device)), ("driver", .string(driver))]
        case .asyncScheduled(let cookie, let function, let device):
            return [("cookie", .uint(cookie)), ("function", .string(function)), ("device", .string(device))]
        case .asyncRunStart(let cookie), .asyncRunEnd(let cookie), .asyncSynchronize(let cookie):
            return [("cookie", .uint(cookie))]
        case .workQueued(let work, let function), .workStart(let work, let function):
            return [("work", .uint(work)), ("function", .string(function))]
        case .workEnd(let work): return [("work", .uint(work))]
        case .uevent(let action, let devpath, let seqnum, let subsystem):
            return [("action", .string(action.name)), ("devpath", .string(devpath)), ("seqnum", .uint(seqnum)), ("subsystem", .string(subsystem))]
        case .marker(let label, let value): return [("label", .string(label)), ("value", .uint(value))]
        case .lost(let count): return [("count", .uint(count))]
        }
    }

    private static func json(_ id: PCIMatchID) -> JSONValue {
        func text(_ v: UInt32) -> JSONValue { .string(v == PCIMatchID.any ? "*" : HexField.format(v & 0xFFFF, digits: 4)) }
        return .object([
            ("vendor", text(id.vendor)), ("device", text(id.device)),
            ("subvendor", text(id.subvendor)), ("subdevice", text(id.subdevice)),
            ("class", .string(HexField.format(id.classCode, digits: 6))),
            ("class_mask", .string(HexField.format(id.classMask, digits: 6))),
        ])
    }

    private static func json(_ ids: PCIDeviceIDs) -> JSONValue {
        .object([
            ("vendor", .string(HexField.format(UInt32(ids.vendor), digits: 4))),
            ("device", .string(HexField.format(UInt32(ids.device), digits: 4))),
            ("subvendor", .string(HexField.format(UInt32(ids.subvendor), digits: 4))),
            ("subdevice", .string(HexField.format(UInt32(ids.subdevice), digits: 4))),
            ("class", .string(HexField.format(ids.classCode, digits: 6))),
        ])
    }

    /// Reads the kind-specific members; `fields` reports missing, mistyped and
    /// (afterwards) unknown keys.
    static func read(kind: EventKind, from fields: inout JSONFields) throws -> Payload {
        switch kind {
        case .processFork:
            return .processFork(childPID: try fields.uint32("child_pid"), childTID: try fields.uint32("child_tid"), isThread: try fields.bool("thread", default: false))
        case .processExec: return .processExec(filename: try fields.string("filename"))
        case .processExit: return .processExit(code: try fields.int32("code", default: 0))
        case .processWait: return .processWait(childPID: try fields.uint32("child_pid"))
        case .moduleLoad: return .moduleLoad(module: try fields.string("module"))
        case .moduleRequest: return .moduleRequest(name: try fields.string("name"), wait: try fields.bool("wait", default: true))
        case .moduleInitDone: return .moduleInitDone(module: try fields.string("module"), result: try fields.int32("result", default: 0))
        case .driverRegisterStart:
            let name = try fields.string("probe_type", default: ProbeType.defaultStrategy.name)
            guard let type = ProbeType(name: name) else {
                throw JSONFields.Problem("probe_type '\(name)' is not one of \(ProbeType.allCases.map(\.name).joined(separator: ", "))")
            }
            return .driverRegisterStart(driver: try fields.string("driver"), bus: try fields.string("bus", default: "pci"), probeType: type)
        case .driverRegisterEnd:
            return .driverRegisterEnd(driver: try fields.string("driver"), bus: try fields.string("bus", default: "pci"), result: try fields.int32("result", default: 0))
        case .dynamicIDAdded: return .dynamicIDAdded(driver: try fields.string("driver"), id: try fields.decode("id", as: PCIMatchID.self))
        case .sysfsNewID: return .sysfsNewID(driver: try fields.string("driver"), id: try fields.decode("id", as: PCIMatchID.self))
        case .sysfsRemoveID: return .sysfsRemoveID(driver: try fields.string("driver"), id: try fields.decode("id", as: PCIMatchID.self))
        case .deviceAdd:
            return .deviceAdd(DeviceAddition(
                device: try fields.string("device"), bus: try fields.string("bus", default: "pci"),
                devpath: try fields.string("devpath", default: ""),
                pci: try fields.decodeIfPresent("pci", as: PCIDeviceIDs.self),
                isVirtualFunction: try fields.bool("virtfn", default: false),
                autoprobe: try fields.bool("autoprobe", default: true)))
        case .deviceRemove: return .deviceRemove(device: try fields.string("device"), bus: try fields.string("bus", default: "pci"))
        case .driverOverrideWritten: return .driverOverrideWritten(device: try fields.string("device"), driver: try fields.string("driver"))
        case .sysfsBind: return .sysfsBind(device: try fields.string("device"), driver: try fields.string("driver"), result: try fields.int32("result", default: 0))
        case .sysfsUnbind: return .sysfsUnbind(device: try fields.string("device"), driver: try fields.string("driver"), result: try fields.int32("result", default: 0))
        case .sysfsDriversProbe: return .sysfsDriversProbe(device: try fields.string("device"), result: try fields.int32("result", default: 0))
        case .probeStart: return .probeStart(device: try fields.string("device"), driver: try fields.string("driver"), isAsync: try fields.bool("async", default: false))
        case .probeEnd: return .probeEnd(device: try fields.string("device"), driver: try fields.string("driver"), result: try fields.int32("result"))
        case .bound: return .bound(device: try fields.string("device"), driver: try fields.string("driver"))
        case .unbound: return .unbound(device: try fields.string("device"), driver: try fields.string("driver"))
        case .asyncScheduled:
            return .asyncScheduled(cookie: try fields.uint64("cookie"), function: try fields.string("function", default: ""), device: try fields.string("device", default: ""))
        case .asyncRunStart: return .asyncRunStart(cookie: try fields.uint64("cookie"))
        case .asyncRunEnd: return .asyncRunEnd(cookie: try fields.uint64("cookie"))
        case .asyncSynchronize: return .asyncSynchronize(cookie: try fields.uint64("cookie", default: 0))
        case .workQueued: return .workQueued(work: try fields.uint64("work"), function: try fields.string("function", default: ""))
        case .workStart: return .workStart(work: try fields.uint64("work"), function: try fields.string("function", default: ""))
        case .workEnd: return .workEnd(work: try fields.uint64("work"))
        case .uevent:
            let name = try fields.string("action")
            guard let action = UeventAction(name: name) else {
                throw JSONFields.Problem("action '\(name)' is not one of \(UeventAction.allCases.map(\.name).joined(separator: ", "))")
            }
            return .uevent(action: action, devpath: try fields.string("devpath"), seqnum: try fields.uint64("seqnum"), subsystem: try fields.string("subsystem", default: ""))
        case .marker: return .marker(label: try fields.string("label"), value: try fields.uint64("value", default: 0))
        case .lost: return .lost(count: try fields.uint64("count"))
        }
    }
}
