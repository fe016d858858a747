/// Texts put together with one allocation. The final analyses write a few
/// hundred texts a device (step names, explanations, fixes), and Swift's
/// string interpolation appends part by part, growing its storage as it
/// goes: about 350 instructions a part, where a copy of the bytes into
/// storage of the final size takes a few dozen.
public enum JoinedText {
    /// The parts' bytes, in order.
    public static func join(_ parts: String...) -> String { join(parts) }

    public static func join(_ parts: [String]) -> String {
        var count = 0
        for part in parts { count += part.utf8.count }
        // The capacity is exact: no part needs checking against it.
        return String(unsafeUninitializedCapacity: count) { text in
            var end = 0
            for var part in parts { end = TextWriter.copy(&part, into: text, at: end) }
            return end
        }
    }
}
