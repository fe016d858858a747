import BindraceSystem
import BindraceTrace
import Testing

@testable import BindraceCapture

@Suite("Snapshot collection through the file-system seam")
struct SnapshotCollectorTests {
    static let release = "6.1.0-56-amd64"

    static func machine() -> InMemoryFileSystem {
        let dev = "/sys/bus/pci/devices/0000:00:03.0"
        let vf = "/sys/bus/pci/devices/0000:01:00.2"
        let modules = "/lib/modules/\(release)"
        return InMemoryFileSystem(
            files: [
                "/proc/sys/kernel/osrelease": release + "\n",
                "/proc/cmdline": "BOOT_IMAGE=/vmlinuz intel_iommu=on vfio-pci.ids=8086:100e\n",
                "/proc/modules": "e1000 155648 0 - Live 0x0000000000000000\nvfio_pci 16384 0 - Live 0x0000000000000000\n",
                "/proc/sys/kernel/hostname": "guest\n",
                dev + "/vendor": "0x8086\n", dev + "/device": "0x100e\n",
                dev + "/subsystem_vendor": "0x1af4\n", dev + "/subsystem_device": "0x1100\n",
                dev + "/class": "0x020000\n",
                dev + "/modalias": "pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00\n",
                dev + "/driver_override": "(null)\n",
                vf + "/vendor": "0x15b3\n", vf + "/device": "0x101e\n",
                vf + "/subsystem_vendor": "0x15b3\n", vf + "/subsystem_device": "0x0001\n",
                vf + "/class": "0x020000\n", vf + "/modalias": "pci:v000015B3d0000101Esv000015B3sd00000001bc02sc00i00\n",
                vf + "/driver_override": "vfio-pci\n",
                modules + "/modules.alias": """
                    alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000
                    alias pci:v00008086d000010D3sv*sd*bc*sc*i* e1000e
                    alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci
                    alias usb:v1234p* foo
                    """,
                modules + "/modules.dep": "kernel/drivers/net/ethernet/intel/e1000/e1000.ko:\nkernel/drivers/vfio/pci/vfio-pci.ko: kernel/drivers/vfio/pci/vfio-pci-core.ko\nkernel/x/other.ko:\n",
                modules + "/modules.order": "kernel/drivers/net/ethernet/intel/e1000/e1000.ko\nkernel/x/other.ko\nkernel/drivers/vfio/pci/vfio-pci.ko\n",
                modules + "/modules.softdep": "softdep vfio_pci pre: vfio_pci_core\nsoftdep other pre: x\n",
                modules + "/modules.builtin": "kernel/drivers/pci/pcieport.ko\n",
                modules + "/modules.builtin.modinfo": "pcieport.description=x\0other.alias=pci:v0000FFFFd*\0",
                "/etc/modprobe.d/vfio.conf": "options vfio-pci ids=8086:100e\n",
                "/lib/modprobe.d/vfio.conf": "hidden by /etc\n",
                "/lib/modprobe.d/aliases.conf": "alias foo bar\n",
                "/etc/modprobe.d/README": "not a .conf\n",
            ],
            symlinks: [
                dev + "/driver": "../../../bus/pci/drivers/e1000",
                dev + "/iommu_group": "../../../kernel/iommu_groups/3",
                vf + "/physfn": "../0000:01:00.0",
            ])
    }

    @Test("kernel, command line, modules, devices, tables, modprobe.d")
    func collect() throws {
        let snapshot = SnapshotCollector(fileSystem: Self.machine())
            .collect(phase: .end, probes: [ProbeStatus(name: "device_add", attached: true, detail: "fentry")], notes: ["tool": "t"])
        #expect(snapshot.phase == .end)
        #expect(snapshot.kernelRelease == Self.release)
        #expect(snapshot.commandLine == "BOOT_IMAGE=/vmlinuz intel_iommu=on vfio-pci.ids=8086:100e")
        #expect(snapshot.loadedModules == ["e1000", "vfio_pci"])
        #expect(snapshot.builtinModules == ["pcieport"])
        #expect(snapshot.probes.count == 1)
        #expect(snapshot.notes["tool"] == "t" && snapshot.notes["hostname"] == "guest")

        #expect(snapshot.pciDevices.map(\.address) == ["0000:00:03.0", "0000:01:00.2"])
        let nic = snapshot.pciDevices[0]
        #expect(nic.ids == PCIDeviceIDs(vendor: 0x8086, device: 0x100e, subvendor: 0x1af4, subdevice: 0x1100, classCode: 0x020000))
        #expect(nic.driver == "e1000" && nic.iommuGroup == 3 && nic.driverOverride == nil && nic.physicalFunction == nil)
        #expect(nic.modalias.hasPrefix("pci:v00008086d0000100E"))
        let vf = snapshot.pciDevices[1]
        #expect(vf.driver == nil && vf.driverOverride == "vfio-pci" && vf.physicalFunction == "0000:01:00.0")

        let tables = Dictionary(uniqueKeysWithValues: snapshot.matchTables.map { ($0.path, $0.text) })
        #expect(tables["modules.alias"] == "alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000\nalias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci")
        #expect(tables["modules.dep"]?.contains("e1000.ko:") == true)
        #expect(tables["modules.dep"]?.contains("other.ko") == false)
        #expect(tables["modules.order"] == "kernel/drivers/net/ethernet/intel/e1000/e1000.ko\nkernel/drivers/vfio/pci/vfio-pci.ko")
        #expect(tables["modules.softdep"] == "softdep vfio_pci pre: vfio_pci_core")

        // /etc hides /lib's file of the same name; files in name order.
        #expect(snapshot.modprobeConfig.map(\.path) == ["/lib/modprobe.d/aliases.conf", "/etc/modprobe.d/vfio.conf"])
        #expect(snapshot.modprobeConfig.last?.text == "options vfio-pci ids=8086:100e\n")
    }

    @Test("a machine without sysfs or module tables gives an empty but valid snapshot")
    func empty() {
        let snapshot = SnapshotCollector(fileSystem: InMemoryFileSystem()).collect(phase: .start)
        #expect(snapshot.pciDevices.isEmpty && snapshot.matchTables.isEmpty && snapshot.kernelRelease.isEmpty)
    }
}

@Suite("Privilege check")
struct PrivilegeTests {
    static func status(uid: Int, caps: String) -> String {
        "Name:\tbindrace\nUid:\t\(uid)\t\(uid)\t\(uid)\t\(uid)\nCapInh:\t0000000000000000\nCapEff:\t\(caps)\n"
    }

    @Test("root, CAP_BPF+CAP_PERFMON, and an unprivileged user")
    func decisions() throws {
        let root = try #require(Privileges.parse(status: Self.status(uid: 0, caps: "000001ffffffffff")))
        #expect(root.effectiveUID == 0 && root.allowsCapture)
        let delegated = try #require(Privileges.parse(status: Self.status(uid: 1000, caps: "000000c000000000")))
        #expect(delegated.has(Privileges.capBPF) && delegated.has(Privileges.capPerfmon) && delegated.allowsCapture)
        let onlyBPF = try #require(Privileges.parse(status: Self.status(uid: 1000, caps: "0000008000000000")))
        #expect(!onlyBPF.allowsCapture)
        #expect(onlyBPF.refusal == "capture needs CAP_BPF and CAP_PERFMON, or root (missing: CAP_PERFMON)")
        let nobody = try #require(Privileges.parse(status: Self.status(uid: 65534, caps: "0000000000000000")))
        #expect(!nobody.allowsCapture)
        #expect(Privileges.parse(status: "Name:\tx\n") == nil)
    }

    @Test("the seam reads /proc/self/status through the file system")
    func seam() {
        let fs = InMemoryFileSystem(files: ["/proc/self/status": Self.status(uid: 1000, caps: "0")])
        #expect(ProcStatusPrivileges(fileSystem: fs).current()?.allowsCapture == false)
        #expect(ProcStatusPrivileges(fileSystem: InMemoryFileSystem()).current() == nil)
        #expect(FixedPrivileges(Privileges(effectiveUID: 0, effectiveCapabilities: 1 << 21)).current()?.allowsCapture == true)
    }
}
