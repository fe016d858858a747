import BindraceTrace

/// Per task (tid) state of the step recorder.
struct TaskSteps: Equatable {
    var open = OpenStep()
    /// Module whose init the task is running (symbol), -1 none.
    var loadingModule: Int32 = -1

    /// Spelled out: the derived one is a call the paged table's writes paid for.
    @inline(__always)
    static func == (a: TaskSteps, b: TaskSteps) -> Bool {
        a.loadingModule == b.loadingModule && a.open == b.open
    }
}
