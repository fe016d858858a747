/// The sources of happens-before, one per kernel or userspace mechanism that
/// forces an order between tasks. Each has its own method on
/// `HappensBeforeTracker` (files HappensBefore/Rule*.swift) and its own tests;
/// docs/replay.md gives the kernel or udev source for each.
public enum HBRule: String, CaseIterable, Hashable, Sendable, Codable {
    /// Events of one task (tid) in trace order.
    case programOrder = "program_order"
    /// process_fork in the parent precedes everything the child does.
    case fork
    /// exec keeps the task (tid and clock); it only changes its comm.
    case exec
    /// A process's exit precedes its parent's wait that reaps it.
    case exitWait = "exit_wait"
    /// request_module precedes the usermode-helper modprobe it spawns.
    case moduleRequest = "module_request"
    /// When the requester waits (UMH_WAIT_PROC), the helper's exit precedes
    /// the requester's next event.
    case moduleRequestReturn = "module_request_return"
    /// async_schedule precedes the entry's run.
    case asyncRun = "async_run"
    /// async_synchronize_cookie/full follows every earlier entry's end.
    case asyncSynchronize = "async_synchronize"
    /// queue_work precedes the work item's execution.
    case workqueue
    /// The kernel's uevent precedes the udev worker's handling of it.
    case udevDelivery = "udev_delivery"
    /// udevd runs events of one devpath, or of a parent and child devpath,
    /// one after another in seqnum order.
    case udevSerialization = "udev_serialization"
}

/// A cross-task edge, for the oracle's explicit graph and for explanations.
public struct HBEdge: Hashable, Sendable {
    public var from: Int
    public var to: Int
    public var rule: HBRule
}

extension HBRule {
    /// Position among all cases (a bit in a mask of rules).
    var ordinal: Int {
        switch self {
        case .programOrder: 0
        case .fork: 1
        case .exec: 2
        case .exitWait: 3
        case .moduleRequest: 4
        case .moduleRequestReturn: 5
        case .asyncRun: 6
        case .asyncSynchronize: 7
        case .workqueue: 8
        case .udevDelivery: 9
        case .udevSerialization: 10
        }
    }
}
