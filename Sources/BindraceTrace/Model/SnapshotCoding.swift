#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The canonical JSON form of a snapshot: sorted keys, no extra whitespace,
/// so equal snapshots are equal bytes.
public enum SnapshotCoding {
    public static func encode(_ snapshot: Snapshot) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(snapshot))
    }

    public static func decode(_ bytes: [UInt8]) throws -> Snapshot {
        try JSONDecoder().decode(Snapshot.self, from: Data(bytes))
    }
}
