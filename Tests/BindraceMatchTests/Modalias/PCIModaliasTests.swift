import Foundation
import Testing
import BindraceTrace
@testable import BindraceMatch

/// The modalias text is the kernel's `modalias_show` format; it is written
/// byte by byte, so it is held here to printf's own rendering of that format.
@Suite struct PCIModaliasTests {
    static func printf(_ ids: PCIDeviceIDs, vfio: Bool) -> String {
        (vfio ? "vfio_pci:" : "pci:")
            + String(format: "v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X", UInt32(ids.vendor), UInt32(ids.device), UInt32(ids.subvendor),
                     UInt32(ids.subdevice), ids.classCode >> 16, (ids.classCode >> 8) & 0xFF, ids.classCode & 0xFF)
    }

    @Test func textIsTheKernelFormat() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var samples = [PCIDeviceIDs(vendor: 0, device: 0), PCIDeviceIDs(vendor: 0xFFFF, device: 0xFFFF, subvendor: 0xFFFF, subdevice: 0xFFFF,
                                                                           classCode: 0xFF_FFFF)]
        // A class code wider than 24 bits prints its high bits too, as %02X would.
        samples.append(PCIDeviceIDs(vendor: 0x10DE, device: 0x1B80, classCode: 0x1AB_CDEF))
        for _ in 0..<500 {
            let r = next()
            samples.append(PCIDeviceIDs(vendor: UInt16(truncatingIfNeeded: r), device: UInt16(truncatingIfNeeded: r >> 16),
                                        subvendor: UInt16(truncatingIfNeeded: r >> 32), subdevice: UInt16(truncatingIfNeeded: r >> 48),
                                        classCode: UInt32(truncatingIfNeeded: next()) & 0xFF_FFFF))
        }
        for ids in samples {
            for vfio in [false, true] {
                let m = PCIModalias(ids: ids, vfio: vfio)
                #expect(m.text == Self.printf(ids, vfio: vfio))
                #expect(PCIModalias(parsing: m.text) == m || ids.classCode > 0xFF_FFFF)
            }
        }
    }
}
