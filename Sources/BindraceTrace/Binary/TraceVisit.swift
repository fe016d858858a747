/// What a visiting reader hands over, in file order: `TraceItem` without the copies.
public enum TraceVisit {
    case events(EventRecords)
    case snapshot(Snapshot, chunk: Int, offset: Int)
}
