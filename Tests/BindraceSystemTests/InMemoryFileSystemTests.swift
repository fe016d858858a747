import BindraceSystem
import Testing

@Suite struct InMemoryFileSystemTests {
    let fs = InMemoryFileSystem(
        files: ["/etc/modprobe.d/vfio.conf": "options vfio-pci ids=10de:1db1\n", "/proc/cmdline": "quiet\n",
                "/sys/bus/pci/devices/0000:01:00.0/vendor": "0x10de\n"],
        symlinks: ["/sys/bus/pci/devices/0000:01:00.0/driver": "../../../bus/pci/drivers/nouveau",
                   "/lib": "usr/lib"])

    @Test func readsFilesAndDirectories() throws {
        #expect(try fs.readText(at: "/proc/cmdline") == "quiet\n")
        #expect(try fs.contentsOfDirectory(at: "/sys/bus/pci/devices/0000:01:00.0") == ["driver", "vendor"])
        #expect(try fs.contentsOfDirectory(at: "/etc") == ["modprobe.d"])
        #expect(fs.isDirectory("/etc/modprobe.d"))
        #expect(fs.entryType(at: "/proc/cmdline") == .regular)
        #expect(fs.entryType(at: "/nope") == nil)
    }

    @Test func symlinksAreVisibleAsSuch() throws {
        #expect(fs.entryType(at: "/sys/bus/pci/devices/0000:01:00.0/driver") == .symlink)
        #expect(try fs.readLink(at: "/sys/bus/pci/devices/0000:01:00.0/driver") == "../../../bus/pci/drivers/nouveau")
    }

    @Test func errorsNameThePath() {
        #expect(throws: FileSystemError(path: "/nope", reason: .notFound)) { try fs.readFile(at: "/nope", limit: 10) }
        #expect(throws: FileSystemError(path: "/proc/cmdline", reason: .tooLarge(limit: 2))) { try fs.readFile(at: "/proc/cmdline", limit: 2) }
        #expect(throws: FileSystemError(path: "/etc", reason: .isADirectory)) { try fs.readFile(at: "/etc", limit: 10) }
    }
}
