/// Typed access to one JSON object's members that remembers which keys were
/// used, so a misspelled field in a hand-written trace is an error instead of
/// a silently ignored default.
struct JSONFields {
    struct Problem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    let container: KeyedDecodingContainer<Key>
    private(set) var used: Set<String> = []

    init(_ container: KeyedDecodingContainer<Key>) { self.container = container }

    var keys: [String] { container.allKeys.map(\.stringValue) }

    func contains(_ key: String) -> Bool { container.contains(Key(key)) }

    /// Fails on the first member no reader asked for.
    func rejectUnknown(context: String) throws {
        for key in container.allKeys.map(\.stringValue).sorted() where !used.contains(key) {
            throw Problem("unknown key '\(key)' \(context)")
        }
    }

    mutating func decodeIfPresent<T: Decodable>(_ key: String, as type: T.Type) throws -> T? {
        used.insert(key)
        do {
            return try container.decodeIfPresent(T.self, forKey: Key(key))
        } catch {
            throw Problem("'\(key)': \(JSONFields.reason(error, expecting: Self.typeName(T.self)))")
        }
    }

    mutating func decode<T: Decodable>(_ key: String, as type: T.Type) throws -> T {
        guard let value = try decodeIfPresent(key, as: T.self) else { throw Problem("missing key '\(key)'") }
        return value
    }

    mutating func string(_ key: String, default value: String? = nil) throws -> String {
        if let value, !contains(key) { used.insert(key); return value }
        return try decode(key, as: String.self)
    }

    mutating func bool(_ key: String, default value: Bool? = nil) throws -> Bool {
        if let value, !contains(key) { used.insert(key); return value }
        return try decode(key, as: Bool.self)
    }

    mutating func uint64(_ key: String, default value: UInt64? = nil) throws -> UInt64 {
        if let value, !contains(key) { used.insert(key); return value }
        return try decode(key, as: UInt64.self)
    }

    mutating func uint32(_ key: String, default value: UInt32? = nil) throws -> UInt32 {
        if let value, !contains(key) { used.insert(key); return value }
        return try decode(key, as: UInt32.self)
    }

    mutating func uint16(_ key: String, default value: UInt16? = nil) throws -> UInt16 {
        if let value, !contains(key) { used.insert(key); return value }
        return try decode(key, as: UInt16.self)
    }

    mutating func int32(_ key: String, default value: Int32? = nil) throws -> Int32 {
        if let value, !contains(key) { used.insert(key); return value }
        return try decode(key, as: Int32.self)
    }

    /// `expecting`: what the member should hold, for a number that does not fit.
    static func reason(_ error: any Error, expecting: String? = nil) -> String {
        switch error {
        case let problem as Problem: return problem.description
        case DecodingError.typeMismatch(let type, let context):
            return "expected \(Self.typeName(type))" + (context.codingPath.count > 1 ? " at \(context.codingPath.map(\.stringValue).joined(separator: "."))" : "")
        case DecodingError.dataCorrupted(let context), DecodingError.valueNotFound(_, let context), DecodingError.keyNotFound(_, let context):
            return context.debugDescription
        default: return JSONValueError.describe(error, expecting: expecting)
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is UInt64.Type: "a non-negative 64-bit integer"
        case is UInt32.Type: "a non-negative 32-bit integer"
        case is UInt16.Type: "a non-negative 16-bit integer"
        case is Int32.Type: "a 32-bit integer"
        default: "\(type)"
        }
    }
}
