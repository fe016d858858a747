import BindraceTrace

// Rules about tasks: fork, exec, exit then wait (kernel/fork.c, fs/exec.c,
// kernel/exit.c). Program order itself is the per-task tick in `observe`.
extension HappensBeforeTracker {
    /// fork/clone: the child's first event follows the parent's fork event.
    /// A child tid seen before is a reused tid: it becomes a new task.
    mutating func ruleFork(_ event: RawEvent, source: Source) {
        let child = event.a1 != 0 ? event.a1 : event.a0
        removeTask(child)
        unbornPending[child, default: []].append((source, .fork))
    }

    /// exec keeps the task's identity and clock: nothing to join. The
    /// usermode-helper half of module_request is recognised here.
    mutating func ruleExec(_ event: RawEvent, task: inout Task, index: Int, strings: StringTable) {
        rulesSeen.insert(.exec)
        ruleModuleHelperExec(event, task: &task, index: index, strings: strings)
    }

    /// A thread-group's exits are remembered until a wait reaps the group.
    mutating func ruleExit(_ event: RawEvent, task: inout Task, source: Source) {
        if var known = exits[event.pid] {
            known.clock.join(source.clock)
            known.index = source.index
            exits[event.pid] = known
        } else {
            exits[event.pid] = source
        }
        ruleModuleHelperExit(event, task: task, source: source)
    }

    /// wait4/waitid returning the child: the child's exit precedes it.
    mutating func ruleWait(_ event: RawEvent, task: inout Task, index: Int) {
        if let exit = exits.removeValue(forKey: event.a0) { join(&task, exit, rule: .exitWait, to: index) }
    }
}
