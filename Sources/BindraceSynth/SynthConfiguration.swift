/// What `bindrace synth` generates: a boot with coldplug, then as much
/// SR-IOV churn, hotplug and process churn as it takes to reach the size.
public struct SynthConfiguration: Sendable, Hashable {
    /// Same seed, same configuration: the same events, byte for byte.
    public var seed: UInt64
    /// Stop once at least this many events were emitted (the last round is finished).
    public var targetEvents: UInt64
    /// Physical NICs with SR-IOV (ixgbe-like, 8086:10fb, VFs 8086:10ed).
    public var sriovNICs: Int
    /// VFs created per NIC per churn round.
    public var vfsPerNIC: Int
    /// GPUs meant for passthrough (10de:1db1 VGA + its audio function).
    public var gpus: Int
    /// udev workers running in parallel.
    public var udevWorkers: Int
    /// Every this many churn rounds, a hotplugged device gets a planted vfio-vs-native race.
    public var raceEvery: Int
    /// Short-lived helper processes (fork, exec, exit, wait) per churn round: the task count knob.
    public var processesPerRound: Int
    /// 0: every helper, script and modprobe is a new process (fork, exec,
    /// exit, wait), so the task count grows with the trace. N > 0: they run
    /// in N long-lived tasks instead (exec only), for a trace with a handful
    /// of tasks (benchmarks: throughput against the number of tasks).
    public var taskPool: Int = 0

    public init(
        seed: UInt64 = 1, targetEvents: UInt64 = 100_000, sriovNICs: Int = 4, vfsPerNIC: Int = 8, gpus: Int = 2,
        udevWorkers: Int = 8, raceEvery: Int = 16, processesPerRound: Int = 4, taskPool: Int = 0
    ) {
        self.taskPool = taskPool
        self.seed = seed
        self.targetEvents = targetEvents
        self.sriovNICs = sriovNICs
        self.vfsPerNIC = vfsPerNIC
        self.gpus = gpus
        self.udevWorkers = udevWorkers
        self.raceEvery = raceEvery
        self.processesPerRound = processesPerRound
    }
}
