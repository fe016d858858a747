/// Parses one modprobe.d file the way kmod_config_parse reads it. A line kmod
/// skips with a log message (unknown command, missing argument,
/// `include`/`config`) is skipped here too and recorded in `rejectedLines`,
/// naming file and line; every valid line is kept. Never throws for a bad
/// line (the signature keeps `throws` for callers written against it).
public enum ModprobeConfigParser {
    public enum Mode: Sendable {
        /// A modprobe.d file: every command.
        case configFile
        /// modules.softdep in the module directory: kmod honours only softdep.
        case softdepOnly
    }

    public static func parse(_ text: String, file: String, mode: Mode = .configFile) throws(MatchInputError) -> ModprobeConfig {
        var config = ModprobeConfig()
        config.files = [file]
        func reject(_ number: Int, _ message: String) {
            config.rejectedLines.append(MatchInputError(file: file, line: number, message: message))
        }
        for (number, line) in logicalLines(text) {
            let origin = Origin(file: file, line: number)
            if line.isEmpty || line.first == "#" { continue }
            guard let (command, rest) = firstToken(Substring(line)) else { continue }
            func argument(_ s: Substring) -> (String, Substring)? {
                guard let (tok, r) = firstToken(s) else { return nil }
                return (String(tok), r)
            }
            // strtok(NULL, "\\0") after a token: everything after the single
            // delimiter that ended it, empty meaning missing.
            func remainder(_ r: Substring) -> String? {
                let tail = r.isEmpty ? r : r.dropFirst()
                return tail.isEmpty ? nil : String(tail)
            }
            if mode == .softdepOnly && command != "softdep" { continue }
            switch command {
            case "alias":
                guard let (pattern, r) = argument(rest), let (module, _) = argument(r) else {
                    reject(number, "'alias' needs a pattern and a module name; line ignored")
                    continue
                }
                config.aliases.append(.init(pattern: AliasNormalizer.underscores(pattern), module: AliasNormalizer.underscores(module), origin: origin))
            case "blacklist":
                guard let (module, _) = argument(rest) else {
                    reject(number, "'blacklist' needs a module name; line ignored")
                    continue
                }
                config.blacklists.append(.init(module: AliasNormalizer.underscores(module), origin: origin))
            case "options", "install", "remove", "softdep":
                guard let (module, r) = argument(rest), let value = remainder(r) else {
                    reject(number, "'\(command)' needs a module name and \(command == "options" ? "options" : command == "softdep" ? "dependencies" : "a command"); line ignored")
                    continue
                }
                let name = AliasNormalizer.underscores(module)
                switch command {
                case "options": config.options.append(.init(module: name, options: value.replacingTabs, origin: origin))
                case "install": config.installCommands.append(.init(module: name, command: value, origin: origin))
                case "remove": config.removeCommands.append(.init(module: name, command: value, origin: origin))
                default:
                    // The command text keeps its tabs for softdep; split on blanks.
                    let (pre, post) = softdepLists(value)
                    config.softdeps.append(.init(module: name, pre: pre, post: post, origin: origin))
                }
            case "weakdep":
                // kmod 33 syntax; kmod 30 logs it as an unknown command. It
                // never changes what loads, so it is kept, not rejected.
                guard let (module, r) = argument(rest) else {
                    reject(number, "'weakdep' needs a module name; line ignored")
                    continue
                }
                let names = TextLines.fields(r).map(String.init)
                guard !names.isEmpty else {
                    reject(number, "'weakdep' needs a module name and dependencies; line ignored")
                    continue
                }
                config.weakdeps.append(.init(module: AliasNormalizer.underscores(module), modules: names, origin: origin))
            case "include", "config":
                reject(number, "command '\(command)' is deprecated and ignored by kmod; line ignored")
            default:
                reject(number, "unknown command '\(command.prefix(40))'; line ignored")
            }
        }
        return config
    }

    /// `pre:` and `post:` switch lists; words before either are ignored, as
    /// kmod_config_add_softdep does.
    static func softdepLists(_ text: String) -> ([String], [String]) {
        var pre: [String] = [], post: [String] = []
        var mode = 0
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" }) {
            if word == "pre:" { mode = 1 } else if word == "post:" { mode = 2 } else if mode == 1 { pre.append(String(word)) } else if mode == 2 { post.append(String(word)) }
        }
        return (pre, post)
    }

    static func firstToken(_ s: Substring) -> (Substring, Substring)? {
        var rest = s
        while let f = rest.first, f == " " || f == "\t" { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        let end = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? rest.endIndex
        return (rest[..<end], rest[end...])
    }

    /// getline_wrapped: a backslash before a newline joins the next line; a
    /// backslash before anything else is dropped, the character kept. The
    /// number is the logical line's first physical line.
    static func logicalLines(_ text: String) -> [(Int, String)] {
        var result: [(Int, String)] = []
        var current: [UInt8] = []
        var number = 1, start = 1
        var bytes = Array(text.utf8).makeIterator()
        var pending: UInt8? = nil
        var any = false
        while true {
            guard let c = pending ?? bytes.next() else { break }
            pending = nil
            any = true
            if c == UInt8(ascii: "\n") {
                result.append((start, String(decoding: current, as: UTF8.self)))
                current.removeAll(keepingCapacity: true)
                number += 1
                start = number
                any = false
            } else if c == UInt8(ascii: "\\") {
                guard let next = bytes.next() else { break }
                if next == UInt8(ascii: "\n") { number += 1 } else { current.append(next) }
            } else {
                current.append(c)
            }
        }
        if any && !current.isEmpty { result.append((start, String(decoding: current, as: UTF8.self))) }
        return result
    }
}

extension String {
    /// kmod_config_add_options replaces tabs by spaces.
    var replacingTabs: String { String(self.map { $0 == "\t" ? " " : $0 }) }
}
