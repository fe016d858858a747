import BindraceTrace

/// Per task (tid) state of the step recorder.
struct TaskSteps {
    var open = OpenStep()
    /// Module whose init the task is running (symbol), -1 none.
    var loadingModule: Int32 = -1
}
