/// Where the clock stage keeps its vector clocks: the operations
/// `CompactHappensBefore` asks of them, over a `Clock` that tasks and
/// hand-offs hold. Two stores: `InlineClocks`, clocks as values of 16
/// entries (what real captures and the synthetic traces need: slots are
/// reused), and `ClockArena`, rows shared through reference counts for any
/// width. A clock another holder still has is released once, whatever the store.
protocol ClockStore {
    associatedtype Clock: Equatable

    /// The zero clock (before every event).
    static var zero: Clock { get }
    /// Slots handed out: entries at or past it are zero in every clock.
    var width: Int { get }
    /// Slots this store can hand out at most (nil: no bound).
    static var slotLimit: Int? { get }
    /// Whether a clock is a reference to a row kept elsewhere (worth
    /// fetching ahead of its use), not the value itself.
    static var sharesRows: Bool { get }

    /// A fresh slot column (zero in every clock).
    mutating func addSlot() -> Int32
    func entry(_ clock: Clock, _ slot: Int32) -> UInt32
    /// Another holder of `clock` (it must be released as well).
    mutating func retain(_ clock: Clock) -> Clock
    mutating func release(_ clock: Clock)
    /// One more event of the task in `slot`; returns its count there.
    @discardableResult
    mutating func tick(_ clock: inout Clock, slot: Int32) -> UInt32
    /// `clock` learns everything `source` knows.
    mutating func join(_ clock: inout Clock, _ source: Clock)
    /// `join`, for a clock that `source` usually knows all of already.
    mutating func fold(_ clock: inout Clock, _ source: Clock)
    /// Asks for a clock a hand-off held long ahead of its use.
    func prefetch(_ clock: Clock)
    /// Entries a stamp's copy takes: the width in whole vectors of eight.
    var vectorWidth: Int { get }
    /// Appends `vectorWidth` entries of `clock` to `out` (room reserved).
    func copyVectors(_ clock: Clock, into out: inout PlainBuffer<UInt32>)
}
