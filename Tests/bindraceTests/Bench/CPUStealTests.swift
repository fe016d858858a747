@testable import bindrace
import Testing

/// Reading the hypervisor's steal from /proc/stat, and the share between two readings.
@Suite struct CPUStealTests {
    static let stat = """
        cpu  2555595 330 130255 1209590 5663 0 7463 124177 0 0
        cpu0 1277000 100 65000 604000 2800 0 3700 62000 0 0
        intr 123 0 0
        """

    @Test func readsTheAllCPUsLine() throws {
        let steal = try #require(CPUSteal(procStat: Substring(Self.stat)))
        #expect(steal.stolen == 124_177)
        // user nice system idle iowait irq softirq steal; guest time is inside user.
        #expect(steal.total == 2_555_595 + 330 + 130_255 + 1_209_590 + 5_663 + 0 + 7_463 + 124_177)
    }

    @Test func olderKernelsAndOtherTextGiveNothing() {
        // Before 2.6.11 the line had seven fields: no steal to report.
        #expect(CPUSteal(procStat: "cpu  1 2 3 4 5 6 7\n") == nil)
        #expect(CPUSteal(procStat: "cpu0 1 2 3 4 5 6 7 8\n") == nil)
        #expect(CPUSteal(procStat: "cpu  1 2 3 x 5 6 7 8\n") == nil)
        #expect(CPUSteal(procStat: "") == nil)
    }

    @Test func shareBetweenReadings() {
        let a = CPUSteal(stolen: 100, total: 1_000), b = CPUSteal(stolen: 150, total: 1_200)
        #expect(CPUSteal.share(from: a, to: b) == 0.25)
        // No time passed, or counters from another boot: no share.
        #expect(CPUSteal.share(from: a, to: a) == nil)
        #expect(CPUSteal.share(from: b, to: a) == nil)
        // A phase shorter than a tick still says something, without a figure.
        #expect(CPUSteal.note(from: a, to: b) == "25%")
        #expect(CPUSteal.note(from: a, to: a) == "–")
    }
}
