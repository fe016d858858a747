/// Index into a trace's string table. 0 always means the empty string.
public typealias StringID = UInt32

/// One event exactly as stored: a fixed 48-byte little-endian record.
///
/// The replay hot path works on these without touching strings; the meaning of
/// the argument slots per kind is given in docs/trace-format.md and by
/// `Payload`'s encoder. Slot conventions shared by device events keep hot loops
/// simple: `a0` is the device (or the primary name), `a1` the driver, `a3` a
/// kernel return value.
public struct RawEvent: Hashable, Sendable {
    public static let size = 48

    public var timestamp: UInt64
    public var pid: UInt32
    public var tid: UInt32
    public var comm: StringID
    public var cpu: UInt16
    /// The kind byte; may be a value this version does not know.
    public var kindByte: UInt8
    public var flags: UInt8
    public var a0: UInt32
    public var a1: UInt32
    public var a2: UInt32
    public var a3: UInt32
    public var a4: UInt64

    public init(
        timestamp: UInt64 = 0, pid: UInt32 = 0, tid: UInt32 = 0, comm: StringID = 0,
        cpu: UInt16 = 0, kindByte: UInt8 = 0, flags: UInt8 = 0,
        a0: UInt32 = 0, a1: UInt32 = 0, a2: UInt32 = 0, a3: UInt32 = 0, a4: UInt64 = 0
    ) {
        self.timestamp = timestamp
        self.pid = pid
        self.tid = tid
        self.comm = comm
        self.cpu = cpu
        self.kindByte = kindByte
        self.flags = flags
        self.a0 = a0
        self.a1 = a1
        self.a2 = a2
        self.a3 = a3
        self.a4 = a4
    }

    public var kind: EventKind? { EventKind(rawValue: kindByte) }

    /// Reads a record from `base` (any alignment).
    @inlinable
    public init(loadingFrom base: UnsafeRawPointer) {
        // The layout lives in `RecordView`.
        let record = RecordView(base)
        self.init(timestamp: record.timestamp, pid: record.pid, tid: record.tid, comm: record.comm, cpu: record.cpu,
                  kindByte: record.kindByte, flags: record.flags,
                  a0: record.a0, a1: record.a1, a2: record.a2, a3: record.a3, a4: record.a4)
    }

    /// Writes the record's 48 bytes at `base` (any alignment).
    @inlinable
    public func store(to base: UnsafeMutableRawPointer) {
        typealias Offset = RecordView.Offset
        base.storeBytes(of: timestamp.littleEndian, toByteOffset: Offset.timestamp, as: UInt64.self)
        base.storeBytes(of: pid.littleEndian, toByteOffset: Offset.pid, as: UInt32.self)
        base.storeBytes(of: tid.littleEndian, toByteOffset: Offset.tid, as: UInt32.self)
        base.storeBytes(of: comm.littleEndian, toByteOffset: Offset.comm, as: UInt32.self)
        base.storeBytes(of: cpu.littleEndian, toByteOffset: Offset.cpu, as: UInt16.self)
        base.storeBytes(of: kindByte, toByteOffset: Offset.kind, as: UInt8.self)
        base.storeBytes(of: flags, toByteOffset: Offset.flags, as: UInt8.self)
        base.storeBytes(of: a0.littleEndian, toByteOffset: Offset.a0, as: UInt32.self)
        base.storeBytes(of: a1.littleEndian, toByteOffset: Offset.a1, as: UInt32.self)
        base.storeBytes(of: a2.littleEndian, toByteOffset: Offset.a2, as: UInt32.self)
        base.storeBytes(of: a3.littleEndian, toByteOffset: Offset.a3, as: UInt32.self)
        base.storeBytes(of: a4.littleEndian, toByteOffset: Offset.a4, as: UInt64.self)
    }
}
