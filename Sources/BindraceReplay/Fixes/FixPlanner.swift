import BindraceTrace

/// Fix suggestions derived from the model. Each is applied to the device's
/// steps and the exploration re-run; only changes after which every
/// ordering gives the wanted driver are suggested.
struct FixPlanner {
    let lifetime: LifetimeCase
    let environment: LifetimeEnvironment
    /// The shape of the lifetime's exploration, when the memo has it: the
    /// re-checks are then asked of the memo by the change they make.
    let shape: ExplorationMemo.Shape?
    var projection: DeviceProjection { lifetime.projection }
    var device: String { lifetime.device }

    init(lifetime: LifetimeCase, environment: LifetimeEnvironment, shape: ExplorationMemo.Shape? = nil) {
        self.lifetime = lifetime
        self.environment = environment
        self.shape = environment.memo == nil ? nil : shape
    }

    /// Suggestions that make `wanted` win `device` in every ordering,
    /// replacing `natives`.
    func suggestions(wanted: String, natives: [String]) -> [FixSuggestion] {
        var out: [FixSuggestion] = []
        let ids = lifetime.info?.idText ?? ""
        let sameIDDevices = environment.sameIDDevices(device, lifetime.info?.ids)
        // Built-in drivers register from initcalls, before userspace: an
        // override or a module load order cannot come before them unless udev
        // was seen taking the device.
        func isBuiltin(_ driver: String) -> Bool {
            environment.builtins.contains(environment.moduleOfDriver[driver] ?? DriverName.normalized(driver))
        }
        let udevSeen = lifetime.udevAddStamp != nil
        let builtinNative = natives.contains(where: isBuiltin)
        // 1. driver_override at coldplug (per BDF).
        if !builtinNative || udevSeen, let winners = recheckOverride(driver: wanted) {
            var parts = [
                "write driver_override=", wanted, " for ", device,
                " when it appears, before any native module loads: a udev rule `ACTION==\"add\", SUBSYSTEM==\"pci\", KERNEL==\"",
                device, "\", ATTR{driver_override}=\"", wanted, "\"` placed in the initramfs, or `driverctl set-override ", device, " ", wanted, "`",
            ]
            if !sameIDDevices.isEmpty { parts += ["; per device, so the other ", ids, " cards (", Self.listed(sameIDDevices), ") keep their driver"] }
            let text = JoinedText.join(parts)
            out.append(FixSuggestion(kind: "driver-override-at-coldplug", text: text, recheckedWinners: winners))
        }
        // 2. vfio-pci's ids before the native driver.
        for native in natives where !(isBuiltin(native) && isBuiltin(wanted)) {
            if let winners = recheckEarlyIDs(wanted: wanted, native: native) {
                var parts = [
                    "load ", wanted, " with its ids before ", native, ": `softdep ", DriverName.normalized(native),
                    " pre: vfio-pci` and `options vfio-pci ids=", ids,
                    "` in /etc/modprobe.d (rebuild the initramfs so it carries both), or `vfio-pci.ids=", ids,
                    "` on the kernel command line when vfio-pci is built in",
                ]
                if !sameIDDevices.isEmpty { parts += ["; note ids= also takes ", Self.listed(sameIDDevices)] }
                let text = JoinedText.join(parts)
                out.append(FixSuggestion(kind: "vfio-ids-before-native", text: text, recheckedWinners: winners))
            }
        }
        // 3. Keep the native driver out.
        for native in natives {
            if let winners = recheckWithout(native) {
                let module = environment.moduleOfDriver[native] ?? DriverName.normalized(native)
                let builtin = environment.builtins.contains(module)
                let text = builtin
                    ? "\(native) is built in: keep it from initialising with `initcall_blacklist=FUNCTION` on the kernel command line, FUNCTION being the driver's module_init function (see the driver source or /proc/kallsyms); module_blacklist= and modprobe.d do not reach built-in drivers"
                    : JoinedText.join(
                        "keep ", native, " from loading: `module_blacklist=", module,
                        "` on the kernel command line (a modprobe.d `blacklist` only hides its aliases; it still loads by name or as a dependency)")
                out.append(FixSuggestion(kind: "blacklist-native", text: text, recheckedWinners: winners))
            }
        }
        // 4. A vfio variant driver through its vfio_pci: alias.
        if let devIDs = lifetime.info?.ids,
           let variant = environment.matchFacts.vfioVariant(ids: devIDs), DriverName.normalized(variant) != DriverName.normalized(wanted),
           let winners = recheckRebind(to: variant, from: natives) {
            let text = "or use the vfio variant driver its vfio_pci: alias picks, at run time: load \(variant), write driver_override=\(variant) for \(device), unbind \(natives.joined(separator: ", ")) and write drivers_probe (what libvirt does for managed devices)"
            out.append(FixSuggestion(kind: "vfio-variant-alias", text: text, recheckedWinners: winners))
        }
        return out
    }

    /// A driver named by an override never registered: load it.
    func loadMissing(_ driver: String) -> FixSuggestion? {
        guard let add = projection.steps.first(where: { $0.action == .deviceAdd(device: device) }) else { return nil }
        var synthetic = add
        synthetic.id = Self.syntheticID
        synthetic.action = .driverRegister(driver: driver, module: nil, isAsync: false)
        let steps = projection.steps + [synthetic]
        let winners = run(steps) { a, b in
            if a.id == Self.syntheticID { return false }
            if b.id == Self.syntheticID { return true }
            return a.stamp.precedesOrEquals(b.stamp)
        }
        guard let winners, winners == [driver] else { return nil }
        return FixSuggestion(kind: "load-override-driver", text: "load \(DriverName.normalized(driver)) at boot (add it to the initramfs and to /etc/modules-load.d): the override names it but it never registered", recheckedWinners: [driver])
    }

    static let syntheticID = 1 << 40

    /// Other devices a fix's text names: all of a few, else the first few
    /// and how many more. A host with hundreds of VFs of one id would
    /// otherwise repeat them all in every one of their fixes, and the
    /// report would grow with the square of their number.
    static func listed(_ devices: [String], limit: Int = 8) -> String {
        guard devices.count > limit else { return devices.joined(separator: ", ") }
        return devices.prefix(limit).joined(separator: ", ") + " and \(devices.count - limit) more"
    }

    /// The winners after a change (each once, in no particular order, so
    /// `== [driver]` asks for that driver alone); nil when the exploration
    /// could not run or ran out of budget.
    private func run(_ steps: [Step], precedes: (Step, Step) -> Bool, adjust: (inout OrderingExplorer) -> Void = { _ in }) -> [String?]? {
        guard let r = Explorations.winners(steps: steps, context: lifetime.context, device: device, budget: Explorations.defaultBudget,
                                           memo: environment.memo, precedes: precedes, adjust: adjust) else { return nil }
        return r.exhausted ? nil : r.winners
    }

    /// The winners `recheck` finds, through the memo by `change` (the
    /// re-check's description; nil: one the shape cannot describe) when
    /// the shape is known. `recheck` holds all the work that the
    /// description decides, so that an answer from the memo skips it.
    private func memoized(_ change: RecheckChange?, _ recheck: () -> [String?]?) -> [String?]? {
        guard let shape, let change, let memo = environment.memo else { return recheck() }
        return memo.recheck(shape, change: change, run: recheck)
    }

    /// The re-checks' tags in a change's description.
    private enum Change: UInt64 {
        case override = 1, rebind, earlyIDs, without
    }

    /// A change of re-check `tag` naming `drivers` by their numbers in the
    /// shape; nil when one is not in it (or they do not fit).
    private func change(_ tag: Change, _ drivers: String...) -> RecheckChange? { change(tag, drivers) }

    private func change(_ tag: Change, _ drivers: [String]) -> RecheckChange? {
        var change = RecheckChange(tag.rawValue)
        for d in drivers {
            guard let code = shape?.code(d), code > 0, change.append(UInt64(code)) else { return nil }
        }
        return change
    }

    /// The earliest point userspace can write the override: when a udev
    /// worker takes the device's ADD event (else right after device_add).
    /// Whatever happens before that (built-in drivers probing at
    /// device_add) still happens first.
    private var overrideStamp: ClockStamp? {
        guard let add = projection.steps.first(where: { $0.action == .deviceAdd(device: device) }) else { return nil }
        return lifetime.udevAddStamp ?? add.stamp
    }

    private func recheckOverride(driver: String, register: Bool = false) -> [String?]? {
        guard let add = projection.steps.first(where: { $0.action == .deviceAdd(device: device) }), let at = overrideStamp else { return nil }
        let registers = register && !projection.candidates.contains(driver)
        // The override comes after exactly the steps that precede `at`: the
        // steps, the driver and those steps say what the re-check explores.
        // A registration added is a driver's static match the shape lacks.
        var change: RecheckChange?
        if !registers, var described = self.change(.override, driver) {
            var before: UInt64 = 0
            for (i, step) in projection.steps.enumerated() where step.stamp.precedesOrEquals(at) { before |= 1 << UInt64(i) }
            if described.append(before) { change = described }
        }
        let winners = memoized(change) {
            var synthetic = add
            synthetic.id = Self.syntheticID
            synthetic.action = .setOverride(device: device, driver: driver)
            var steps = projection.steps + [synthetic]
            if registers {
                var reg = add
                reg.id = Self.syntheticID + 1
                reg.action = .driverRegister(driver: driver, module: nil, isAsync: false)
                steps.append(reg)
            }
            return run(steps) { a, b in
                if a.id >= Self.syntheticID && b.id >= Self.syntheticID { return a.id < b.id }
                if a.id >= Self.syntheticID { return !b.stamp.precedesOrEquals(at) }
                if b.id >= Self.syntheticID { return a.stamp.precedesOrEquals(at) }
                return a.stamp.precedesOrEquals(b.stamp)
            }
        }
        guard let winners, winners == [driver] else { return nil }
        return [driver]
    }

    /// What libvirt does at run time: load the variant, write the override,
    /// unbind the native driver, drivers_probe — after everything else.
    private func recheckRebind(to variant: String, from natives: [String]) -> [String?]? {
        // The added steps run after every other: which they are is the whole
        // change. A registration added is a driver's static match the shape lacks.
        let change = projection.candidates.contains(variant) ? self.change(.rebind, [variant] + natives) : nil
        let winners = memoized(change) { () -> [String?]? in
            guard let last = projection.steps.max(by: { $0.event.index < $1.event.index }) else { return nil }
            var extra: [Step] = []
            func add(_ action: StepAction) {
                var step = last
                step.id = Self.syntheticID + extra.count
                step.action = action
                extra.append(step)
            }
            if !projection.candidates.contains(variant) { add(.driverRegister(driver: variant, module: nil, isAsync: false)) }
            add(.setOverride(device: device, driver: variant))
            for native in natives { add(.unbind(device: device, driver: native)) }
            add(.driversProbe(device: device))
            return run(projection.steps + extra) { a, b in
                if a.id >= Self.syntheticID && b.id >= Self.syntheticID { return a.id < b.id }
                if a.id >= Self.syntheticID { return false }
                if b.id >= Self.syntheticID { return true }
                return a.stamp.precedesOrEquals(b.stamp)
            }
        }
        guard let winners, winners == [variant] else { return nil }
        return [variant]
    }

    private func recheckEarlyIDs(wanted: String, native: String) -> [String?]? {
        // Which steps are early and late follows from the shape (its ids' matches) and the two drivers.
        let change = self.change(.earlyIDs, wanted, native)
        let winners = memoized(change) { () -> [String?]? in
            let ids = lifetime.info?.ids
            let early = projection.steps.filter {
                switch $0.action {
                case .driverRegister(let d, _, _): return d == wanted
                case .addID(let d, let id): return d == wanted && ids.map(id.matches) == true
                default: return false
                }
            }
            let late = projection.steps.filter { if case .driverRegister(let d, _, _) = $0.action { return d == native } else { return false } }
            guard early.contains(where: { if case .addID = $0.action { true } else { false } }), !late.isEmpty else { return nil }
            return run(projection.steps, precedes: { $0.stamp.precedesOrEquals($1.stamp) }) { explorer in
                for e in early { for l in late { explorer.require(e.id, before: l.id) } }
            }
        }
        guard let winners, winners == [wanted] else { return nil }
        return [wanted]
    }

    private func recheckWithout(_ native: String) -> [String?]? {
        let change = self.change(.without, native)
        let winners = memoized(change) {
            let steps = projection.steps.filter {
                switch $0.action {
                case .driverRegister(let d, _, _), .bind(_, let d): return d != native
                default: return true
                }
            }
            return run(steps) { $0.stamp.precedesOrEquals($1.stamp) }
        }
        guard let winners, winners.count == 1, let w = winners.first!, DriverName.isVFIO(w) else { return nil }
        return [w]
    }
}
