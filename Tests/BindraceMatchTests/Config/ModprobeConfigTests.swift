import Testing
import BindraceSystem
@testable import BindraceMatch

@Suite struct ModprobeConfigTests {
    @Test func parsesEveryCommandWithKmodNameRules() throws {
        let c = try ModprobeConfigParser.parse("""
            # comment
            alias pci:v00001AF4d* vfio-pci
            blacklist nouveau
            options vfio-pci ids=10de:1b80\tdisable_vga=1
            install pcspkr /bin/false
            remove nvme /bin/true
            softdep nouveau pre: vfio-pci post: snd-hda-intel
            options e1000 a=1 \\
              b=2

            """, file: "/etc/modprobe.d/x.conf")
        #expect(c.aliases.first?.module == "vfio_pci")
        #expect(c.blacklists.map(\.module) == ["nouveau"])
        #expect(c.options.first?.options == "ids=10de:1b80 disable_vga=1")
        #expect(c.options.last?.options == "a=1   b=2")
        #expect(c.softdeps.first?.pre == ["vfio-pci"])
        #expect(c.installCommand(for: "pcspkr")?.command == "/bin/false")
        #expect(c.options.last?.origin == Origin(file: "/etc/modprobe.d/x.conf", line: 8))
    }

    @Test func badLinesAreRejectedOneByOneAndTheRestIsKept() throws {
        let c = try ModprobeConfigParser.parse("""
            alias a b

            blaklist e1000
            options e1000
            include /etc/other.conf
            alias onlyone
            blacklist
            weakdep e1000e crc32c
            blacklist nouveau
            softdep x
            options vfio-pci ids=10de:1b80

            """, file: "/etc/modprobe.d/x.conf")
        #expect(c.rejectedLines.map(\.description) == [
            "/etc/modprobe.d/x.conf:3: unknown command 'blaklist'; line ignored",
            "/etc/modprobe.d/x.conf:4: 'options' needs a module name and options; line ignored",
            "/etc/modprobe.d/x.conf:5: command 'include' is deprecated and ignored by kmod; line ignored",
            "/etc/modprobe.d/x.conf:6: 'alias' needs a pattern and a module name; line ignored",
            "/etc/modprobe.d/x.conf:7: 'blacklist' needs a module name; line ignored",
            "/etc/modprobe.d/x.conf:10: 'softdep' needs a module name and dependencies; line ignored",
        ])
        #expect(c.aliases.map(\.module) == ["b"])
        #expect(c.blacklists.map(\.module) == ["nouveau"])
        #expect(c.options.map(\.options) == ["ids=10de:1b80"])
        #expect(c.weakdeps(for: "e1000e").first?.modules == ["crc32c"])
        // Appending configurations carries the rejected lines along.
        var all = ModprobeConfig()
        all.append(c)
        #expect(all.rejectedLines.count == 6)
    }

    @Test func directoriesMergeByNameAndEarlierHidesLater() throws {
        let fs = InMemoryFileSystem(files: [
            "/etc/modprobe.d/20-b.conf": "blacklist b\n",
            "/lib/modprobe.d/20-b.conf": "blacklist hidden\n",
            "/lib/modprobe.d/10-a.conf": "blacklist a\n",
            "/lib/modprobe.d/.dot.conf": "blacklist dot\n",
            "/lib/modprobe.d/readme.txt": "blacklist txt\n",
        ])
        let (config, files) = try ModprobeDirectories.load(from: fs, paths: ["/etc/modprobe.d", "/lib/modprobe.d"])
        #expect(config.blacklists.map(\.module) == ["a", "b"])
        #expect(files.first { $0.name == "20-b.conf" }?.shadows == ["/lib/modprobe.d/20-b.conf"])
    }

    @Test func rendersLikeModprobeC() throws {
        let c = try ModprobeConfigParser.parse("softdep e1000 pre: vfio-pci post: foo\nblacklist x\n", file: "f")
        #expect(c.renderLikeModprobeShowConfig() == "blacklist x\nsoftdep e1000 pre: vfio-pcipost: foo\n")
    }
}
