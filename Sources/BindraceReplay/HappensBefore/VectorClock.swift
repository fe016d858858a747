/// A vector clock over task slots. Entry `i` counts the events of the task in
/// slot `i` that are known to have happened before (or be) the clock's owner.
/// Stored densely: slots are small integers handed out by `TaskSlots`.
public struct VectorClock: Hashable, Sendable {
    public private(set) var entries: ContiguousArray<UInt32>

    public init() { entries = [] }

    /// A clock with these entries (slot i: entries[i]).
    public init(entries: [UInt32]) { self.entries = ContiguousArray(entries) }

    public subscript(slot: Int) -> UInt32 {
        slot < entries.count ? entries[slot] : 0
    }

    public mutating func tick(_ slot: Int) {
        grow(to: slot + 1)
        entries[slot] &+= 1
    }

    public mutating func join(_ other: VectorClock) {
        if other.entries.isEmpty { return }
        grow(to: other.entries.count)
        other.entries.withUnsafeBufferPointer { src in
            entries.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count where src[i] > dst[i] { dst[i] = src[i] }
            }
        }
    }

    private mutating func grow(to count: Int) {
        if entries.count < count { entries.append(contentsOf: repeatElement(0, count: count - entries.count)) }
    }
}

/// An event's position in happens-before terms: its task slot, its count in
/// that task, and the task's clock after it.
public struct ClockStamp: Hashable, Sendable {
    public var slot: Int
    public var clock: VectorClock

    /// `self` happens before `other` (or is the same event).
    public func precedesOrEquals(_ other: ClockStamp) -> Bool {
        clock[slot] <= other.clock[slot]
    }

    /// Neither happens before the other.
    public func isConcurrent(with other: ClockStamp) -> Bool {
        !precedesOrEquals(other) && !other.precedesOrEquals(self)
    }
}
