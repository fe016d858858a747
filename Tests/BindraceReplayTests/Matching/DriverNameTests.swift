@testable import BindraceReplay
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
}
