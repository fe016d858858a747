/// modules.builtin.modinfo: the `.modinfo` sections of built-in drivers,
/// `module.key=value` strings separated by NUL. depmod turns its `alias=`
/// entries into modules.builtin.alias.bin (depmod.c, output_builtin_alias_bin);
/// there is no text form, so bindrace reads this file.
public struct BuiltinModinfo: Sendable {
    public struct Entry: Hashable, Sendable {
        public var module: String
        public var key: String
        public var value: String
    }

    public var entries: [Entry] = []
    /// Built-in aliases, in file order (their insertion order into depmod's index).
    public var aliases: [AliasEntry] = []

    public init() {}

    public var moduleNames: Set<String> { Set(entries.map(\.module)) }

    public static func parse(_ bytes: [UInt8], file: String) throws(MatchInputError) -> BuiltinModinfo {
        var result = BuiltinModinfo()
        var number = 0
        for piece in bytes.split(separator: 0, omittingEmptySubsequences: true) {
            number += 1
            // Like depmod: module name up to the first '.', key up to '='.
            guard let dot = piece.firstIndex(of: UInt8(ascii: ".")), dot > piece.startIndex,
                  let eq = piece[dot...].firstIndex(of: UInt8(ascii: "=")) else {
                let shown = String(decoding: piece.prefix(40), as: UTF8.self)
                throw MatchInputError(file: file, line: number, message: "entry \(number) is not 'module.key=value': '\(shown)'")
            }
            let module = String(decoding: piece[piece.startIndex..<dot], as: UTF8.self)
            let key = String(decoding: piece[(dot + 1)..<eq], as: UTF8.self)
            let value = String(decoding: piece[(eq + 1)...], as: UTF8.self)
            result.entries.append(Entry(module: module, key: key, value: value))
            if key == "alias", !value.isEmpty, let normalized = AliasNormalizer.normalizeAlias(value) {
                result.aliases.append(AliasEntry(pattern: value, glob: KmodGlob(normalized: normalized), module: module, origin: Origin(file: file, line: number)))
            }
        }
        return result
    }
}
