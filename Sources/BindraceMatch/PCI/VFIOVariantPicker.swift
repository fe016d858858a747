/// libvirt's choice of a vfio variant driver (virPCIDeviceFindBestVFIOVariant):
/// among the `vfio_pci:` aliases of modules.alias matching the device's
/// modalias with `vfio_` prefixed, the one with the fewest `*`; on a tie the
/// first in file order.
public enum VFIOVariantPicker {
    public struct Pick: Hashable, Sendable {
        public var module: String
        public var pattern: String
        public var stars: Int
        public var origin: Origin
        /// Every matching vfio_pci: alias, file order.
        public var considered: [AliasEntry]
    }

    public static func pick(for modalias: PCIModalias, in tables: ModuleTables) -> Pick? {
        let key = Array(modalias.vfioForm.text.utf8)
        let ids = tables.aliases.matchingItems(key).sorted()
        var best: Pick? = nil
        var considered: [AliasEntry] = []
        for id in ids {
            let entry = tables.aliases.items[id].entry
            guard entry.pattern.hasPrefix("vfio_pci:") else { continue }
            considered.append(entry)
            let stars = entry.glob.starCount
            if best == nil || stars < best!.stars {
                best = Pick(module: entry.module, pattern: entry.pattern, stars: stars, origin: entry.origin, considered: [])
            }
        }
        best?.considered = considered
        return best
    }
}
