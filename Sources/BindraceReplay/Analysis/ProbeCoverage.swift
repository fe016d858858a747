import BindraceTrace

/// Which conclusions weaken when a capture probe was not attached
/// (Snapshot.probes). Matched on the probe's name.
enum ProbeCoverage {
    static let effects: [(pattern: String, effect: String)] = [
        ("fork", "fork edges are missing: tasks look unordered, so reported races may be spurious"),
        ("exec", "modprobe helpers cannot be recognised: module-request edges are missing, races may be spurious"),
        ("exit", "exit/wait and module-request return edges are missing: races may be spurious"),
        ("wait", "exit/wait edges are missing: races may be spurious"),
        ("module_request", "request_module edges are missing: races may be spurious"),
        ("module_load", "modules cannot be tied to the drivers they register"),
        ("really_probe", "probe results are unknown: every probe is assumed to succeed"),
        ("driver_probe", "probe results are unknown: every probe is assumed to succeed"),
        ("probe", "probe results are unknown: every probe is assumed to succeed"),
        ("driver_bound", "observed bindings come from probe results only"),
        ("bus_add_driver", "driver registrations are missing: candidates and winners are incomplete"),
        ("driver_register", "driver registrations are missing: candidates and winners are incomplete"),
        ("device_add", "device additions are missing: devices present before are not replayed"),
        ("pci_add_dynid", "ids= dynamic ids are missing: bindings through them are unexplained"),
        ("new_id", "sysfs new_id writes are missing: bindings through them are unexplained"),
        ("driver_set_override", "driver_override writes are missing: overrides are not modelled"),
        ("driver_override", "driver_override writes are missing: overrides are not modelled"),
        ("bind", "sysfs bind/unbind writes are missing"),
        ("async", "async probing edges are missing: async races may be spurious or missed"),
        ("workqueue", "workqueue edges and deferred-probe retries are missing"),
        ("uevent", "udev serialization edges are missing: races between udev workers may be spurious"),
    ]

    static func warnings(for snapshot: Snapshot?) -> [String] {
        guard let snapshot else { return [] }
        var out: [String] = []
        for probe in snapshot.probes where !probe.attached {
            let name = probe.name.lowercased()
            let effect = effects.first { name.contains($0.pattern) }?.effect ?? "events of this probe are missing"
            let detail = probe.detail.isEmpty ? "" : " (\(probe.detail))"
            out.append("probe \(probe.name) was not attached\(detail): \(effect)")
        }
        return out
    }
}
