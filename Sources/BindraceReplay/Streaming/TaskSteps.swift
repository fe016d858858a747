import BindraceTrace

/// Per task (tid) state of the step recorder.
struct TaskSteps: Equatable {
    var open = OpenStep()
    /// Module whose init the task is running (symbol), -1 none.
    var loadingModule: Int32 = -1

    /// Spelled out: the derived one was a call on every write of the paged table.
    @inline(__always)
    static func == (a: TaskSteps, b: TaskSteps) -> Bool {
        a.loadingModule == b.loadingModule && a.open == b.open
    }
}
