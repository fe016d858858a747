import ArgumentParser
import BindraceMatch
import BindraceSystem
import BindraceTrace
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "List the modules that can claim each device, in kmod's order, with blacklists, softdeps, dynamic IDs and the vfio variant pick.",
        discussion: """
            Sources: the live system (default), an extracted tree (--root), bare
            module tables (--kmod-dir, no modprobe.d unless --config is given), or
            a trace's snapshot. Inputs: the PCI devices found there, or modaliases
            (--modalias, --modalias-file). `--format tsv` prints
            MODALIAS<TAB>mod1,mod2,... per input, in kmod's order with repeats
            removed (--keep-duplicates prints them as `modprobe -R` does).

            --module-file reads a .ko, .ko.xz or .ko.zst (an out-of-tree module
            depmod has not indexed) and resolves as if it were installed under
            extra/ and depmod had run: its aliases rank after every indexed
            module, a module of the same name is replaced. On a live system or
            --root, module files under updates/ and extra/ that modules.dep does
            not list are named in a warning (kmod cannot load them by alias yet).

            Exit status: 0 when everything was read. 2 when an input cannot be
            read at all (malformed modules.alias/dep/order, unreadable or corrupt
            module file): one line naming the file and line or offset, no
            answer. Lines kmod itself skips with a message (unknown modprobe.d
            command, missing argument, include/config) and an unterminated quote
            on the kernel command line are warnings instead, one line each
            (`bindrace: warning: FILE:LINE: ...`): every valid line is kept, the
            answer is printed, and the exit status is 2.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, tsv, json
    }

    @Option(name: .customLong("kmod-dir"), help: ArgumentHelp("Module directory holding modules.alias and friends.", valueName: "dir"))
    var kmodDir: String?

    @Option(name: .customLong("root"), help: ArgumentHelp("Read an extracted system tree instead of /.", valueName: "dir"))
    var root: String?

    @Option(name: .customLong("trace"), help: ArgumentHelp("Use the snapshot a capture stored in this trace (its tables, modprobe.d, command line and devices).", valueName: "trace"))
    var trace: String?

    @Option(name: .customLong("kernel-release"), help: ArgumentHelp("Kernel release under lib/modules (default: uname -r, or the only one under --root).", valueName: "version"))
    var kernelRelease: String?

    @Option(name: .customLong("modalias"), help: ArgumentHelp("A modalias to resolve (repeatable).", valueName: "modalias"))
    var modaliases: [String] = []

    @Option(name: .customLong("modalias-file"), help: ArgumentHelp("A file with one modalias per line ('-' for standard input).", valueName: "file"))
    var modaliasFile: String?

    @Option(name: .customLong("config"), help: ArgumentHelp("modprobe.d directory or file instead of the default search path, like modprobe -C (repeatable).", valueName: "path"))
    var configPaths: [String] = []

    @Option(name: .customLong("module-file"), help: ArgumentHelp("A .ko, .ko.xz or .ko.zst module file to resolve as if installed and indexed by depmod (repeatable).", valueName: "path"))
    var moduleFilePaths: [String] = []

    @Option(name: .customLong("cmdline-file"), help: ArgumentHelp("Kernel command line to apply (default: /proc/cmdline of the system read; none with --kmod-dir).", valueName: "file"))
    var cmdlineFile: String?

    @Option(help: "Output: table, tsv or json.")
    var format: Format = .table

    @Flag(name: .customLong("keep-duplicates"), help: "tsv: print a module once per matching alias line, as modprobe -R does.")
    var keepDuplicates = false

    @Flag(name: .customLong("show-depends"), help: .hidden)
    var showDepends = false

    @Flag(name: .customLong("show-config"), help: .hidden)
    var showConfig = false

    /// One JSON object per --module-file: what was read from it.
    @Flag(name: .customLong("show-module-info"), help: .hidden)
    var showModuleInfo = false

    func run() throws {
        if showModuleInfo {
            // Module files only: no tables needed.
            do {
                for file in try loadModuleFiles() { Terminal.writeOut(try ModuleFileInfo(file).jsonLine()) }
            } catch let error as MatchInputError {
                throw fail(error.description)
            }
            return
        }
        if let trace {
            try run(snapshot: try Self.startSnapshot(of: trace))
            return
        }
        let context: MatchContext
        do {
            context = try loadContext()
        } catch let error as MatchInputError {
            throw fail(error.description)
        }
        try emit(context: context)
    }

    /// The trace's first start snapshot; a trace without one cannot answer.
    static func startSnapshot(of path: String) throws -> Snapshot {
        var input = try TraceFiles.openForCommand(path)
        var snapshots: [Snapshot] = []
        do {
            while let item = try input.next() {
                if case .snapshot(let snapshot, _, _) = item { snapshots.append(snapshot) }
            }
        } catch {
            throw DiagnosticPrinter.fail(error, file: path)
        }
        DiagnosticPrinter.print(input.diagnostics, file: path)
        guard let snapshot = snapshots.first(where: { $0.phase == .start }) ?? snapshots.first else {
            throw DiagnosticPrinter.fail(InputFailure("\(path): the trace holds no snapshot, so it has no match tables to use"))
        }
        return snapshot
    }

    /// The entry point for a trace: builds everything from the snapshot the
    /// capture stored (tables, modprobe.d, command line, devices).
    func run(snapshot: Snapshot) throws {
        let context: MatchContext
        do {
            context = try MatchContext(snapshot: snapshot, modaliases: try inputModaliases())
        } catch {
            throw fail(error.description)
        }
        try emit(context: context)
    }

    private func emit(context: MatchContext) throws {
        for note in context.notes { Terminal.writeError("bindrace: warning: \(note.terminalSafe)\n") }
        for rejected in context.rejectedLines { Terminal.writeError("bindrace: warning: \(rejected.description.terminalSafe)\n") }
        try emitAnswer(context: context)
        if !context.rejectedLines.isEmpty { throw CommandFailure(status: .inputError) }
    }

    private func emitAnswer(context: MatchContext) throws {
        if showConfig {
            Terminal.writeOut(context.resolver.config.renderLikeModprobeShowConfig())
            return
        }
        if showDepends {
            for input in context.inputs {
                Terminal.writeOut(ShowDepends.render(context.resolver.lookup(input.modalias), resolver: context.resolver, moduleDirectory: context.moduleDirectoryForPaths))
            }
            return
        }
        let reports = context.inputs.map { context.report(for: $0) }
        switch format {
        case .tsv:
            Terminal.writeOut(MatchTSV.render(reports, keepDuplicates: keepDuplicates))
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let document = MatchDocument(source: context.sourceDescription, devices: reports.map(MatchDocument.Device.init))
            let data = try encoder.encode(document)
            Terminal.writeOut(String(decoding: data, as: UTF8.self) + "\n")
        case .table:
            Terminal.writeOut(MatchTable.render(reports, source: context.sourceDescription))
        }
    }

    private func fail(_ message: String) -> CommandFailure {
        Terminal.writeError("bindrace: \(message.terminalSafe)\n")
        return CommandFailure(status: .inputError)
    }

    // MARK: inputs and sources

    func inputModaliases() throws(MatchInputError) -> [String] {
        var result = modaliases
        if let file = modaliasFile {
            let bytes: [UInt8]
            do {
                bytes = file == "-" ? readStandardInput() : try LocalFileSystem().readFile(at: file, limit: 256 << 20)
            } catch {
                throw MatchInputError(file: file, message: "\(error)")
            }
            result += try ModaliasList.parse(String(decoding: bytes, as: UTF8.self), file: file == "-" ? "<stdin>" : file)
        }
        return result
    }

    func loadModuleFiles() throws(MatchInputError) -> [ModuleFile] {
        var files: [ModuleFile] = []
        for path in moduleFilePaths { files.append(try ModuleFileReader.read(path: path, fs: LocalFileSystem())) }
        return files
    }

    func loadContext() throws -> MatchContext {
        let given = try inputModaliases()
        let local = LocalFileSystem()
        let moduleFiles = try loadModuleFiles()
        if let kmodDir {
            if root != nil { throw MatchInputError(file: kmodDir, message: "--kmod-dir and --root exclude each other") }
            var tables = try ModuleTables.load(from: local, directory: kmodDir)
            tables.add(moduleFiles: moduleFiles)
            // kmod reads modules.softdep whatever the configuration directories.
            var config = tables.softdeps
            if !configPaths.isEmpty {
                config = try ModprobeDirectories.load(from: local, paths: configPaths, moduleSoftdeps: tables.softdeps).config
            }
            let commandLine = try cmdlineFile.map { file throws(MatchInputError) in try KernelCommandLine(readText(local, file), file: file) }
            if let commandLine { config.append(commandLine.kmodConfig) }
            return MatchContext(
                resolver: KmodResolver(tables: tables, config: config), commandLine: commandLine, devices: [],
                modaliases: given, sourceDescription: kmodDir, moduleDirectoryForPaths: kmodDir)
        }
        // --root or the live system.
        let fs: any FileSystem = root.map { RootedFileSystem(base: local, root: $0) as any FileSystem } ?? local
        let release = try kernelRelease ?? SystemSource.kernelRelease(fs: fs, rooted: root != nil)
        return try SystemSource.context(
            fs: fs, release: release, configPaths: configPaths.isEmpty ? nil : configPaths,
            cmdlineFile: cmdlineFile, modaliases: given, rootDescription: root, moduleFiles: moduleFiles)
    }

    /// The --show-module-info form of a module file.
    struct ModuleFileInfo: Encodable {
        struct Table: Encodable {
            var symbol: String
            var section: String
            var offset: Int
            var entries: Int
            var relocatedDriverData: Int
            var overrideOnly: Int
            var modpostAliases: [String]
        }
        var path: String
        var compression: String
        var name: String
        var vermagic: String?
        var alias: [String]
        var depends: [String]
        var softdep: [String]
        var weakdep: [String]
        var pciTables: [Table]

        init(_ f: ModuleFile) {
            path = f.path
            compression = f.compression.rawValue
            name = f.name
            vermagic = f.vermagic
            alias = f.aliases
            depends = f.depends
            softdep = f.softdeps
            weakdep = f.values("weakdep")
            pciTables = f.pciTables.map {
                Table(symbol: $0.symbol, section: $0.section, offset: $0.offset, entries: $0.entries.count,
                      relocatedDriverData: $0.entries.filter(\.driverDataRelocated).count,
                      overrideOnly: $0.entries.filter(\.id.overrideOnly).count, modpostAliases: $0.modpostAliases)
            }
        }

        func jsonLine() throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
        }
    }

    private func readText(_ fs: LocalFileSystem, _ file: String) throws(MatchInputError) -> String {
        do {
            return try fs.readText(at: file, limit: 1 << 20)
        } catch {
            throw MatchInputError(file: file, message: "\(error)")
        }
    }

    private func readStandardInput() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while bytes.count < 256 << 20 {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return bytes
    }
}
