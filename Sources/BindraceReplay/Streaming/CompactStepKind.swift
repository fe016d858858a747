import BindraceTrace

/// What a compact step does (`StepAction` without its strings).
enum CompactStepKind: UInt8 {
    case deviceAdd, deviceRemove, register, addID, removeID, setOverride, bind, unbind, driversProbe, asyncBarrier, deferredRetry
}
