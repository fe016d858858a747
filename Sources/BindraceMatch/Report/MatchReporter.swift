import BindraceTrace

/// Assembles a MatchReport: kmod's candidates, what blocks each, softdeps,
/// options, dynamic ids in force, the vfio variant pick and pci_match_device.
struct MatchReporter {
    let context: MatchContext
    var resolver: KmodResolver { context.resolver }

    /// Drivers with an `ids=` parameter that becomes dynamic ids at init.
    static let idsDrivers = ["vfio_pci", "pci_stub"]

    func report(for input: MatchReport.Input) -> MatchReport {
        let lookup = resolver.lookup(input.modalias)
        var candidates: [MatchReport.Candidate] = []
        for module in lookup.modules {
            candidates.append(MatchReport.Candidate(
                module: module, builtin: resolver.tables.isBuiltin(module),
                matchedBy: lookup.candidates.filter { $0.module == module }, blocks: blocks(module),
                softdep: resolver.config.softdep(for: module), options: resolver.config.options(for: module),
                weakdeps: resolver.config.weakdeps(for: module)))
        }
        let pci = PCIModalias(parsing: input.modalias)
        let dynamic = dynamicIDs()
        var dynamicReport: [(DynamicID, Bool, String?)] = []
        for d in dynamic {
            let matches = pci.map { d.id.matches($0.ids) } ?? false
            var note: String? = nil
            if case .modprobeOptions = d.source, resolver.tables.isBuiltin(d.driver) {
                note = "\(d.driver) is built in: modprobe.d options never reach it, only the kernel command line does"
            }
            dynamicReport.append((d, matches, note))
        }
        var pciMatches: [(String, PCIMatcher.Result)] = []
        var canProbe: Bool? = nil
        if let pci, !pci.vfio {
            let device = PCIMatcher.Device(
                ids: pci.ids, driverOverride: input.device?.driverOverride,
                isVirtualFunction: input.device?.physicalFunction != nil,
                physicalFunctionAutoprobe: physicalFunctionAutoprobe(input.device))
            canProbe = PCIMatcher.canProbe(device)
            for candidate in candidates where !Self.idsDrivers.contains(candidate.module) {
                // The id table read from the module file where there is one;
                // otherwise the alias match stands in for the entry it was made from.
                let table = resolver.tables.pciTables[candidate.module]
                    ?? [PCIStaticID(id: PCIMatchID(vendor: UInt32(pci.ids.vendor), device: UInt32(pci.ids.device)))]
                let driver = PCIMatcher.Driver(
                    name: candidate.module, staticIDs: table,
                    dynamicIDs: dynamic.filter { $0.driver == candidate.module })
                pciMatches.append((candidate.module, PCIMatcher.match(driver: driver, device: device)))
            }
            let vfio = PCIMatcher.Driver.vfioPCI(dynamicIDs: dynamic.filter { $0.driver == "vfio_pci" })
            pciMatches.append(("vfio-pci", PCIMatcher.match(driver: vfio, device: device)))
        }
        return MatchReport(
            input: input, lookup: lookup, candidates: candidates, dynamicIDs: dynamicReport,
            vfioVariant: pci.flatMap { VFIOVariantPicker.pick(for: $0, in: resolver.tables) },
            pciMatches: pciMatches, canProbe: canProbe,
            bindingNote: bindingNote(input: input, pci: pci, lookup: lookup, dynamic: dynamic))
    }

    /// A device bound to a driver that neither its id table (as modules.alias
    /// or the module file states it), nor a known dynamic id, nor
    /// driver_override explains: on a live system that is a dynamic id
    /// written to sysfs new_id, which cannot be read back.
    func bindingNote(input: MatchReport.Input, pci: PCIModalias?, lookup: AliasLookup, dynamic: [DynamicID]) -> String? {
        guard let device = input.device, let driver = device.driver, let pci, !pci.vfio else { return nil }
        if let override = device.driverOverride, AliasNormalizer.normalizeModuleName(override) == AliasNormalizer.normalizeModuleName(driver) { return nil }
        let module = AliasNormalizer.normalizeModuleName(context.driverModules[driver] ?? driver)
        if lookup.modules.contains(module) { return nil }
        if dynamic.contains(where: { $0.driver == module && $0.id.matches(pci.ids) }) { return nil }
        if context.newIDsUnknowable {
            return "bound to \(driver), which no alias, ids= entry or driver_override explains: most likely a dynamic id written to /sys/bus/pci/drivers/\(driver)/new_id (write-only; its ids cannot be read back)"
        }
        return "bound to \(driver), which no alias, dynamic id or driver_override known to this source explains"
    }

    private func physicalFunctionAutoprobe(_ device: PCIDeviceSnapshot?) -> Bool {
        guard let pf = device?.physicalFunction else { return true }
        return context.devices.first { $0.address == pf }?.sriovDriversAutoprobe ?? true
    }

    func blocks(_ module: String) -> [MatchReport.Block] {
        var result: [MatchReport.Block] = []
        for b in resolver.config.blacklisting(module) {
            let fromCmdline = b.origin.file == context.commandLine?.file
            result.append(.init(kind: fromCmdline ? .modprobeBlacklistCmdline : .blacklist, origin: b.origin.description, detail: nil))
        }
        if let c = resolver.config.installCommand(for: module) {
            result.append(.init(kind: .installCommand, origin: c.origin.description, detail: c.command))
        }
        if let line = context.commandLine {
            for (name, p) in line.moduleBlacklist where name == module {
                result.append(.init(kind: .moduleBlacklist, origin: "kernel command line, offset \(p.offset)", detail: nil))
            }
            for (name, p) in line.rdDriverBlacklist where AliasNormalizer.normalizeModuleName(name) == module {
                result.append(.init(kind: .rdDriverBlacklist, origin: "kernel command line, offset \(p.offset)", detail: nil))
            }
        }
        return result
    }

    /// ids= of vfio-pci / pci-stub from modprobe.d and the command line.
    /// Malformed entries are left out here (the driver skips them too).
    func dynamicIDs() -> [DynamicID] {
        var result: [DynamicID] = []
        for o in resolver.config.options where Self.idsDrivers.contains(o.module) {
            // Command line entries come below, with their offset.
            if o.origin.file == context.commandLine?.file { continue }
            for word in o.options.split(separator: " ") where word.hasPrefix("ids=") {
                result += (try? DynamicID.parseIDs(String(word.dropFirst(4)), driver: o.module, source: .modprobeOptions(o.origin), file: o.origin.file, line: o.origin.line)) ?? []
            }
        }
        // sysfs new_id writes the source knows of (a trace's events).
        result += context.newIDs
        if let line = context.commandLine {
            for driver in Self.idsDrivers {
                for (param, value, p) in line.moduleParameters(driver) where param == "ids" {
                    result += (try? DynamicID.parseIDs(value ?? "", driver: driver, source: .kernelCommandLine(offset: p.offset), file: "cmdline", line: 1)) ?? []
                }
            }
        }
        return result
    }
}
