/// The kernel command line, read twice as the system reads it: once the way
/// the kernel splits parameters (kernel/params.c next_arg: double quotes
/// group, `--` ends kernel parameters), and once the way kmod picks module
/// options and `modprobe.blacklist=` out of /proc/cmdline
/// (libkmod-config.c, kmod_config_parse_kcmdline).
public struct KernelCommandLine: Sendable, Hashable {
    public struct Parameter: Hashable, Sendable {
        public var name: String
        public var value: String?
        /// Byte offset of the parameter in the command line.
        public var offset: Int
    }

    public var text: String
    /// Where it was read (named in origins of the entries kmod takes from it).
    public var file: String
    /// Kernel parameters before `--`, in order.
    public var parameters: [Parameter] = []
    /// What kmod adds to its configuration from this command line.
    public var kmodConfig = ModprobeConfig()
    /// Malformed parts (an unterminated quote), one error each; the
    /// parameters above are what the kernel makes of the line regardless.
    public var problems: [MatchInputError] = []

    public static let defaultFile = "/proc/cmdline"

    /// Never throws: problems are recorded in `problems` (the signature keeps
    /// `throws` for callers written against it).
    public init(_ text: String, file: String = KernelCommandLine.defaultFile) throws(MatchInputError) {
        self.text = text
        self.file = file
        parameters = Self.kernelParameters(text, file: file, problems: &problems)
        kmodConfig = Self.kmodOptions(text, file: file)
        // Reported with the configuration's rejected lines (warnings, exit 2).
        kmodConfig.rejectedLines = problems
    }

    // MARK: what the kernel and initramfs make of it

    /// `module_blacklist=`: the kernel refuses to load these modules at all
    /// (compared byte for byte with the module name: no `-`/`_` folding).
    public var moduleBlacklist: [(module: String, parameter: Parameter)] { list("module_blacklist") }
    /// `initcall_blacklist=`: init functions the kernel skips (built-in drivers).
    public var initcallBlacklist: [(module: String, parameter: Parameter)] { list("initcall_blacklist") }
    /// `driver_async_probe=`: drivers that probe asynchronously (`*` = all).
    public var driverAsyncProbe: [(module: String, parameter: Parameter)] { list("driver_async_probe") }
    /// dracut's `rd.driver.pre=`: modules the initramfs loads early.
    public var rdDriverPre: [(module: String, parameter: Parameter)] { list("rd.driver.pre") }
    /// dracut's `rd.driver.blacklist=`: modules the initramfs blacklists.
    public var rdDriverBlacklist: [(module: String, parameter: Parameter)] { list("rd.driver.blacklist") }

    /// `module.param=value` for a module (built-in or loadable), with the
    /// kernel's `-`/`_` equivalence (parameq).
    public func moduleParameters(_ module: String) -> [(param: String, value: String?, parameter: Parameter)] {
        let wanted = AliasNormalizer.normalizeModuleName(module)
        var result: [(String, String?, Parameter)] = []
        for p in parameters {
            guard let dot = p.name.firstIndex(of: ".") else { continue }
            let mod = String(p.name[..<dot]).map { $0 == "-" ? "_" : $0 }
            guard String(mod) == wanted else { continue }
            result.append((String(p.name[p.name.index(after: dot)...]), p.value, p))
        }
        return result
    }

    private func list(_ name: String) -> [(module: String, parameter: Parameter)] {
        var result: [(String, Parameter)] = []
        for p in parameters where Self.parameq(p.name, name) {
            for item in (p.value ?? "").split(separator: ",") where !item.isEmpty { result.append((String(item), p)) }
        }
        return result
    }

    /// kernel/params.c parameq: `-` and `_` are the same.
    static func parameq(_ a: String, _ b: String) -> Bool {
        a.map { $0 == "-" ? "_" : $0 } == b.map { $0 == "-" ? "_" : $0 }
    }

    /// kernel/params.c parse_args/next_arg: words split at isspace() bytes
    /// outside double quotes; a quote opening the word, and a quote opening
    /// the value with the one that ends it, are removed, other quotes kept;
    /// a bare `--` ends the kernel's parameters. An unterminated quote runs to
    /// the end of the line, as in the kernel, and is recorded in `problems`.
    static func kernelParameters(_ text: String, file: String, problems: inout [MatchInputError]) -> [Parameter] {
        var bytes = Array(text.utf8)
        if let nul = bytes.firstIndex(of: 0) { bytes.removeSubrange(nul...) }
        var result: [Parameter] = []
        let quote = UInt8(ascii: "\"")
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        var i = 0
        while i < bytes.count {
            while i < bytes.count && isSpace(bytes[i]) { i += 1 }
            guard i < bytes.count else { break }
            let start = i
            var inQuote = false, quotedWord = false
            var quoteAt = 0
            if bytes[i] == quote { i += 1; inQuote = true; quotedWord = true; quoteAt = start }
            let body = i
            var equals: Int? = nil
            while i < bytes.count && (inQuote || !isSpace(bytes[i])) {
                if equals == nil && bytes[i] == UInt8(ascii: "=") { equals = i }
                if bytes[i] == quote { inQuote.toggle(); quoteAt = i }
                i += 1
            }
            if inQuote {
                problems.append(MatchInputError(file: file, line: 1, message: "unterminated quote at offset \(quoteAt); the kernel takes the rest of the line as one parameter"))
            }
            var end = i
            var name: [UInt8], value: [UInt8]? = nil
            if let eq = equals {
                name = Array(bytes[body..<eq])
                var valueStart = eq + 1
                if valueStart < end && bytes[valueStart] == quote {
                    valueStart += 1
                    if end > valueStart && bytes[end - 1] == quote { end -= 1 }
                } else if quotedWord && end > valueStart && bytes[end - 1] == quote {
                    end -= 1
                }
                value = valueStart <= end ? Array(bytes[valueStart..<end]) : []
            } else {
                if quotedWord && end > body && bytes[end - 1] == quote { end -= 1 }
                name = Array(bytes[body..<max(body, end)])
            }
            let nameText = String(decoding: name, as: UTF8.self)
            if value == nil && nameText == "--" { break }
            result.append(Parameter(name: nameText, value: value.map { String(decoding: $0, as: UTF8.self) }, offset: start))
        }
        return result
    }

    /// kmod's reading (kmod_config_parse_kcmdline, kmod 30): a scan over the
    /// bytes up to the first NUL with four states — module name, parameter,
    /// value, ignore. Words are separated by any isspace() byte (space, tab,
    /// newline, CR, VT, FF; checked against kmod 30), `--` is an ordinary
    /// word; a `=` before the first `.` spoils the word. The first `.` of a word
    /// ends the module name (a second one before `=` spoils the word), the
    /// first `=` after it starts the value. A double quote may open the word
    /// (it is then moved to just after the `=`, so `"m.p=a b"` gives
    /// `options m p="a b"` and `"modprobe.blacklist=x"` blacklists `"x"`), or
    /// appear inside the value; anywhere else it spoils the word, and so does
    /// a quoted space outside the value. `m.p` without `=` gives `options m p`.
    /// `modprobe.blacklist=a,b` adds blacklist entries (names as written);
    /// every other `m.p[=v]` becomes `options m p[=v]`.
    static func kmodOptions(_ text: String, file: String) -> ModprobeConfig {
        enum State { case moduleName, param, value, ignore }
        var config = ModprobeConfig()
        let origin = Origin(file: file, line: 1)
        let quote = UInt8(ascii: "\""), dot = UInt8(ascii: "."), equals = UInt8(ascii: "=")
        var bytes = Array(text.utf8)
        if let end = bytes.firstIndex(of: 0) { bytes.removeSubrange(end...) }
        var state = State.moduleName
        var quoted = false
        var wordQuoted = false
        var nameStart = 0, nameEnd = 0, paramStart = 0, valueStart: Int? = nil
        func complete(_ end: Int) {
            let module = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)
            let paramName = String(decoding: bytes[paramStart..<(valueStart.map { $0 - 1 } ?? end)], as: UTF8.self)
            var value = valueStart.map { String(decoding: bytes[$0..<end], as: UTF8.self) }
            // The opening quote of a quoted word moves to the start of the value.
            if wordQuoted, value != nil { value = "\"" + value! }
            if module == "modprobe" && paramName == "blacklist", let value {
                for name in value.split(separator: ",", omittingEmptySubsequences: false) {
                    config.blacklists.append(.init(module: String(name), origin: origin))
                }
            } else {
                let options = paramName + (value.map { "=" + $0 } ?? "")
                config.options.append(.init(module: AliasNormalizer.underscores(module), options: options.replacingTabs, origin: origin))
            }
        }
        func restart(at i: Int) {
            state = .moduleName
            nameStart = i
            wordQuoted = false
            valueStart = nil
        }
        var i = 0
        while i <= bytes.count {
            let c: UInt8 = i < bytes.count ? bytes[i] : 0x20
            switch c {
            case quote:
                quoted.toggle()
                if quoted && state == .moduleName && i == nameStart {
                    nameStart = i + 1
                    wordQuoted = true
                } else if state != .value {
                    state = .ignore
                }
            case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D:
                if quoted && state == .value {
                    // A space inside a quoted value.
                } else if quoted {
                    state = .ignore
                } else if state == .value || state == .param {
                    complete(i)
                    restart(at: i + 1)
                } else {
                    restart(at: i + 1)
                }
            case dot:
                if state == .moduleName {
                    nameEnd = i
                    paramStart = i + 1
                    state = .param
                } else if state == .param {
                    state = .ignore
                }
            case equals:
                if state == .param {
                    valueStart = i + 1
                    state = .value
                } else if state == .moduleName {
                    state = .ignore
                }
            default:
                break
            }
            i += 1
        }
        return config
    }
}
