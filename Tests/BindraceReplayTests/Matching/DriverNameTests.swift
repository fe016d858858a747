@testable import BindraceReplay
import BindraceSynth
import Testing

/// kmod's rule: `-` and `_` compare alike in module names.
@Suite struct DriverNameTests {
    @Test func dashesBecomeUnderscoresAndNothingElseChanges() {
        #expect(DriverName.normalized("vfio-pci") == "vfio_pci")
        #expect(DriverName.normalized("snd-hda-intel") == "snd_hda_intel")
        #expect(DriverName.normalized("mlx5_core") == "mlx5_core")
        #expect(DriverName.normalized("") == "")
        #expect(DriverName.normalized("-") == "_")
        #expect(DriverName.normalized("nvgrace-gpu-vfio-pci") == "nvgrace_gpu_vfio_pci")
        // Not ASCII: bytes other than `-` are kept as they are.
        #expect(DriverName.normalized("pilote-é") == "pilote_é")
        #expect(DriverName.isVFIO("nvgrace-gpu-vfio-pci") && DriverName.isPlainVFIO("vfio-pci") && !DriverName.isVFIO("nouveau"))
    }

    /// The byte-by-byte checks against their definition on the normalized
    /// name, over names built from the pieces they look for.
    @Test func vfioChecksAgreeWithTheNormalizedName() {
        func isVFIO(_ n: String) -> Bool {
            let n = DriverName.normalized(n)
            return n == "vfio_pci" || n.hasSuffix("_vfio_pci") || n.hasPrefix("vfio_pci_") || n == "pci_stub"
        }
        func isPlainVFIO(_ n: String) -> Bool {
            let n = DriverName.normalized(n)
            return n == "vfio_pci" || n == "pci_stub"
        }
        let pieces = ["vfio", "pci", "_", "-", "stub", "mlx5", "nvgrace", "gpu", "é", "v", "", "vfio-pci", "vfio_pci", "pci-stub"]
        var random = SplitMix64(seed: 7)
        var seen = (vfio: 0, plain: 0)
        for _ in 0..<20_000 {
            var name = ""
            for _ in 0..<Int(random.next() % 6) { name += pieces[Int(random.next() % UInt64(pieces.count))] }
            #expect(DriverName.isVFIO(name) == isVFIO(name), "\(name)")
            #expect(DriverName.isPlainVFIO(name) == isPlainVFIO(name), "\(name)")
            if isVFIO(name) { seen.vfio += 1 }
            if isPlainVFIO(name) { seen.plain += 1 }
        }
        // The names reached both answers of both checks.
        #expect(seen.vfio > 100 && seen.plain > 10)
    }
}
