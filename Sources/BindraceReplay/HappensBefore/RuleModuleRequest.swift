import BindraceTrace

// kernel/kmod.c __request_module → call_usermodehelper_exec: a kworker forks
// a task that execs /sbin/modprobe; with UMH_WAIT_PROC the requester sleeps
// until that process exits.
extension HappensBeforeTracker {
    mutating func ruleModuleRequest(_ event: RawEvent, source: Source) {
        moduleRequests.append((source, event.tid, event.flags & RawFlags.wait != 0))
    }

    /// A kworker's child exec'ing modprobe is the helper of the oldest
    /// request not yet served (requests are served in order by the kmod
    /// workqueue; when they overlap, pairing by order is an approximation
    /// docs/replay.md mentions).
    mutating func ruleModuleHelperExec(_ event: RawEvent, task: inout Task, index: Int, strings: StringTable) {
        guard !moduleRequests.isEmpty,
              classifier.role(of: event.comm, strings: strings) == .kworker,
              classifier.isModprobe(event.a0, strings: strings) else { return }
        let request = moduleRequests.removeFirst()
        join(&task, request.source, rule: .moduleRequest, to: index)
        if request.wait { task.helperFor = request.requester }
    }

    mutating func ruleModuleHelperExit(_ event: RawEvent, task: Task, source: Source) {
        guard let requester = task.helperFor, event.pid == event.tid else { return }
        tasks.modify(requester) { $0.pending.append((source, .moduleRequestReturn)) }
    }
}
