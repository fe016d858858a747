/// One stored record, read field by field where it lies: a consumer that
/// looks at a few fields of most records (the replay's clock stage: the
/// task, the kind, a uevent's seqnum) need not decode all twelve, nor copy
/// them (on the replay's hot paths that copy cost far more time than its
/// instructions suggest). `event` decodes the whole record. Valid as long as
/// the record's memory is.
public struct RecordView {
    @usableFromInline let base: UnsafeRawPointer

    /// A view of the record at `base` (any alignment, `RawEvent.size` bytes).
    @inlinable
    public init(_ base: UnsafeRawPointer) { self.base = base }

    /// The record's layout: byte offsets of the fields (little-endian).
    @usableFromInline
    enum Offset {
        @usableFromInline static let timestamp = 0, pid = 8, tid = 12, comm = 16, cpu = 20, kind = 22, flags = 23
        @usableFromInline static let a0 = 24, a1 = 28, a2 = 32, a3 = 36, a4 = 40
    }

    @inlinable public var timestamp: UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: Offset.timestamp, as: UInt64.self)) }
    @inlinable public var kindByte: UInt8 { base.load(fromByteOffset: Offset.kind, as: UInt8.self) }
    @inlinable public var flags: UInt8 { base.load(fromByteOffset: Offset.flags, as: UInt8.self) }
    @inlinable public var tid: UInt32 { word(Offset.tid) }
    @inlinable public var pid: UInt32 { word(Offset.pid) }
    @inlinable public var comm: StringID { word(Offset.comm) }
    @inlinable public var cpu: UInt16 { UInt16(littleEndian: base.loadUnaligned(fromByteOffset: Offset.cpu, as: UInt16.self)) }
    @inlinable public var a0: UInt32 { word(Offset.a0) }
    @inlinable public var a1: UInt32 { word(Offset.a1) }
    @inlinable public var a2: UInt32 { word(Offset.a2) }
    @inlinable public var a3: UInt32 { word(Offset.a3) }
    @inlinable public var a4: UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: Offset.a4, as: UInt64.self)) }

    /// The whole record, decoded.
    @inlinable public var event: RawEvent { RawEvent(loadingFrom: base) }

    @inlinable
    func word(_ offset: Int) -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
}
