/// modules.order: module paths (relative to the module directory) in the order
/// kbuild linked them. depmod sorts modules by it (depmod.c,
/// depmod_modules_sort): a listed module gets the position of its *last*
/// listing; unlisted modules come after all listed ones.
public struct ModulesOrder: Sendable {
    public var paths: [String] = []
    /// Path -> 0-based position of its last listing.
    public var position: [String: Int] = [:]

    public init() {}

    public static func parse(_ text: String, file: String) throws(MatchInputError) -> ModulesOrder {
        var order = ModulesOrder()
        for (number, line) in TextLines(text: text) {
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty { continue }
            if trimmed.contains(where: { $0 == " " || $0 == "\t" }) {
                throw MatchInputError(file: file, line: number, message: "expected one module path per line")
            }
            order.position[String(trimmed)] = order.paths.count
            order.paths.append(String(trimmed))
        }
        return order
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return s
    }
}
