import Testing
@testable import BindraceMatch

@Suite struct KernelCommandLineTests {
    @Test func kernelAndKmodReadings() throws {
        let line = try KernelCommandLine("quiet vfio-pci.ids=10de:1b80,10de:10f0 modprobe.blacklist=nouveau,snd-hda-intel module_blacklist=e1000 driver_async_probe=* rd.driver.pre=vfio-pci a.b.c=1 x=\"y z\" -- init.arg=1\n")
        #expect(line.moduleParameters("vfio_pci").first?.value == "10de:1b80,10de:10f0")
        #expect(line.moduleBlacklist.map(\.module) == ["e1000"])
        #expect(line.driverAsyncProbe.map(\.module) == ["*"])
        #expect(line.rdDriverPre.map(\.module) == ["vfio-pci"])
        #expect(line.kmodConfig.blacklists.map(\.module) == ["nouveau", "snd-hda-intel"])
        // kmod keeps going past "--" and skips a.b.c=1 (two dots).
        #expect(line.kmodConfig.options.map(\.module) == ["vfio_pci", "init"])
        #expect(!line.parameters.contains { $0.name == "init.arg" })
    }

    @Test func unterminatedQuoteIsAWarningAndTheKernelTakesTheRest() throws {
        let line = try KernelCommandLine("quiet \"foo=bar baz")
        #expect(line.problems == [MatchInputError(file: "/proc/cmdline", line: 1, message: "unterminated quote at offset 6; the kernel takes the rest of the line as one parameter")])
        #expect(line.kmodConfig.rejectedLines == line.problems)
        #expect(line.parameters.map(\.name) == ["quiet", "foo"])
        #expect(line.parameters.last?.value == "bar baz")
    }

    /// Each case checked against kmod 30's `modprobe -c` with the line bind-mounted
    /// over /proc/cmdline (Tests/RealKernel/differential.py repeats it).
    @Test(arguments: [
        ("\"vfio-pci.ids=10de:1b80\" \"modprobe.blacklist=q\"", ["blacklist \"q\"", "options vfio_pci ids=\"10de:1b80\""]),
        ("a=b.c=d .foo=1 m.p \"m2.p2\" \"m3.p3=v w\" x.y=\"open", ["options  foo=1", "options m p", "options m3 p3=\"v w\""]),
        ("t\tab.c=1 \"a b.c=1\" foo.\"bar=1\" a.b.c=1 -- init.arg=1", ["options ab c=1", "options init arg=1"]),
        ("e.f=\"x\ty\" g.h=1\nm.n=2\u{0}z.z=1", ["options e f=\"x y\"", "options g h=1", "options m n=2"]),
    ])
    func kmodReadsTheLineLikeKmod30(text: String, expected: [String]) throws {
        let config = try KernelCommandLine(text).kmodConfig
        #expect(config.renderLikeModprobeShowConfig().split(separator: "\n").map(String.init) == expected)
    }
}
