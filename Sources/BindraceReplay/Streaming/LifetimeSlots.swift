/// The devices' lifetimes, two slots per device symbol, in memory of their
/// own: the current lifetime and the chosen one (the most severe ended so
/// far, else an empty lifetime). A lifetime is written in place through its
/// slot: as an `[StreamLifetime]`, every such write first checked that the
/// array's buffer was unique.
///
/// A lifetime that ends stays where it lies. Chosen, it trades roles with
/// the one chosen before (`swapRoles`), whose buffers then serve the next
/// lifetime; otherwise it is emptied in place. Moving lifetimes out of a
/// slot and back, then into the other, cost a churned device's lifetime
/// about 70 instructions of copies (about 30 net of reading it in place).
///
/// Used as a unique value (`inout`), as `PlainBuffer` is: copies share the
/// slots.
struct LifetimeSlots {
    private final class Storage {
        var base: UnsafeMutablePointer<StreamLifetime>
        /// Beside each slot, its lifetime's held add (`HeldAdd`, valid while
        /// the lifetime's `holdsAdd`): apart from the lifetime, so that a
        /// lifetime read by value is not made larger by it.
        var held: UnsafeMutablePointer<HeldAdd>
        /// And its held udev stamp (`HeldStamp`, valid while the lifetime's `holdsUdevStamp`).
        var udev: UnsafeMutablePointer<HeldStamp>
        var sides: UnsafeMutablePointer<UInt8>
        var count = 0
        init(capacity: Int) {
            base = .allocate(capacity: 2 * capacity)
            held = .allocate(capacity: 2 * capacity)
            udev = .allocate(capacity: 2 * capacity)
            sides = .allocate(capacity: capacity)
        }
        deinit {
            base.deinitialize(count: 2 * count)
            base.deallocate()
            held.deinitialize(count: 2 * count)
            held.deallocate()
            udev.deinitialize(count: 2 * count)
            udev.deallocate()
            sides.deallocate()
        }
    }

    private var storage: Storage
    /// The first slot and the devices' sides, read here, beside the count,
    /// so that a slot's address costs no load through the storage object.
    private var base: UnsafeMutablePointer<StreamLifetime>
    private var held: UnsafeMutablePointer<HeldAdd>
    private var udev: UnsafeMutablePointer<HeldStamp>
    /// Per device: which of its two slots holds the current lifetime (0 or 1).
    private var sides: UnsafeMutablePointer<UInt8>
    /// Devices.
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = max(capacity, 1)
        storage = Storage(capacity: self.capacity)
        base = storage.base
        held = storage.held
        udev = storage.udev
        sides = storage.sides
    }

    /// Device `d`'s current lifetime, read and written in place.
    subscript(current d: Int) -> StreamLifetime {
        @inline(__always) unsafeAddress { UnsafePointer(current(d)) }
        @inline(__always) nonmutating unsafeMutableAddress { current(d) }
    }

    /// Device `d`'s chosen lifetime (an empty one until a lifetime is chosen).
    subscript(chosen d: Int) -> StreamLifetime {
        @inline(__always) unsafeAddress { UnsafePointer(chosen(d)) }
        @inline(__always) nonmutating unsafeMutableAddress { chosen(d) }
    }

    /// Where device `d`'s current (`chosen`: chosen) lifetime lies, in the
    /// slots and in each side table beside them.
    @inline(__always)
    private func place(_ d: Int, chosen: Bool) -> Int {
        assert(d >= 0 && d < count)
        return 2 &* d &+ Int(sides[d] ^ (chosen ? 1 : 0))
    }

    /// The slot of device `d`'s current lifetime.
    @inline(__always)
    func current(_ d: Int) -> UnsafeMutablePointer<StreamLifetime> { base + place(d, chosen: false) }

    /// The slot of device `d`'s chosen lifetime.
    @inline(__always)
    func chosen(_ d: Int) -> UnsafeMutablePointer<StreamLifetime> { base + place(d, chosen: true) }

    /// The held add of device `d`'s current lifetime (meaningful while it `holdsAdd`).
    @inline(__always)
    func held(current d: Int) -> UnsafeMutablePointer<HeldAdd> { held + place(d, chosen: false) }

    /// The held add of device `d`'s chosen lifetime.
    @inline(__always)
    func held(chosen d: Int) -> UnsafeMutablePointer<HeldAdd> { held + place(d, chosen: true) }

    /// The held udev stamp of device `d`'s current lifetime (meaningful while it `holdsUdevStamp`).
    @inline(__always)
    func udevStamp(current d: Int) -> UnsafeMutablePointer<HeldStamp> { udev + place(d, chosen: false) }

    /// The held udev stamp of device `d`'s chosen lifetime.
    @inline(__always)
    func udevStamp(chosen d: Int) -> UnsafeMutablePointer<HeldStamp> { udev + place(d, chosen: true) }

    /// The current lifetime becomes the chosen one and the chosen one the
    /// current, each with its held add and udev stamp.
    @inline(__always)
    func swapRoles(_ d: Int) {
        assert(d >= 0 && d < count)
        sides[d] ^= 1
    }

    /// Two slots for one more device, both holding empty lifetimes.
    mutating func append() {
        if count == capacity {
            let next = Storage(capacity: capacity * 2)
            next.base.moveInitialize(from: base, count: 2 * count)
            next.held.moveInitialize(from: held, count: 2 * count)
            next.udev.moveInitialize(from: udev, count: 2 * count)
            next.sides.initialize(from: sides, count: count)
            // The old storage's slots were moved out: it must not deinitialize them.
            storage.count = 0
            storage = next
            base = next.base
            held = next.held
            udev = next.udev
            sides = next.sides
            capacity *= 2
        }
        (base + 2 * count).initialize(to: StreamLifetime())
        (base + 2 * count + 1).initialize(to: StreamLifetime())
        (held + 2 * count).initialize(to: HeldAdd())
        (held + 2 * count + 1).initialize(to: HeldAdd())
        (udev + 2 * count).initialize(to: HeldStamp())
        (udev + 2 * count + 1).initialize(to: HeldStamp())
        sides[count] = 0
        count += 1
        storage.count = count
    }
}
