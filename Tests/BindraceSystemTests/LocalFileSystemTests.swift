import BindraceSystem
import Foundation
import Testing

@Suite struct LocalFileSystemTests {
    @Test func readsARealTreeAndRefusesLargeFiles() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc/modprobe.d"), withIntermediateDirectories: true)
        try Data("blacklist nouveau\n".utf8).write(to: root.appendingPathComponent("etc/modprobe.d/b.conf"))
        try Data("x".utf8).write(to: root.appendingPathComponent("etc/modprobe.d/a.conf"))
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("link").path, withDestinationPath: "etc")
        defer { try? FileManager.default.removeItem(at: root) }

        let fs = LocalFileSystem()
        #expect(try fs.contentsOfDirectory(at: root.path + "/etc/modprobe.d") == ["a.conf", "b.conf"])
        #expect(try fs.readText(at: root.path + "/etc/modprobe.d/b.conf") == "blacklist nouveau\n")
        #expect(throws: FileSystemError.self) { try fs.readFile(at: root.path + "/etc/modprobe.d/b.conf", limit: 4) }
        #expect(fs.entryType(at: root.path + "/link") == .symlink)
        #expect(try fs.readLink(at: root.path + "/link") == "etc")
        #expect(fs.isDirectory(root.path + "/link"))

        let rooted = RootedFileSystem(base: fs, root: root.path)
        #expect(try rooted.readText(at: "/etc/modprobe.d/b.conf") == "blacklist nouveau\n")
    }

    @Test func pseudoFilesWithoutSizeAreReadToTheEnd() throws {
        // /proc files report size 0; the reader must not trust st_size.
        let text = try LocalFileSystem().readText(at: "/proc/self/status")
        #expect(text.contains("Name:"))
    }
}
