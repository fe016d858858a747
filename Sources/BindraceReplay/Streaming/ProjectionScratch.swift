import BindraceTrace

/// Buffers reused from one lifetime to the next.
struct ProjectionScratch {
    var projection = CompactProjection()
    var named = PlainBuffer<Int32>()
    var all = PlainBuffer<Int32>()
    var matching = PlainBuffer<Int32>()
    var globals = PlainBuffer<Int32>()
    var key = PlainBuffer<UInt64>(capacity: 64)
    var codes = PlainBuffer<Int32>()
    var idClasses = PlainBuffer<Int32>()
    var positions = PlainBuffer<Int>()
    var events = PlainBuffer<Int>()
    var slots = PlainBuffer<Int32>()
    var counts = PlainBuffer<UInt32>()
    var rows = PlainBuffer<Int32>()
    var results = PlainBuffer<Int32>()
    var repeatKey = PlainBuffer<UInt64>(capacity: RepeatShapes.keyWords)
    var repeatSteps = PlainBuffer<RepeatStep>(capacity: 8)
    var repeatDrivers = PlainBuffer<Int32>(capacity: 8)
}
