/// What a repeat key (`StepStage.repeatKey`) reads of one step: its
/// stamp, event, observed position and driver, and its id to place the
/// device's add among the global steps.
struct RepeatStep {
    var stamp: CompactStamp
    var driver: Int32
    var event: Int
    var position: Int
    var id: Int
}
