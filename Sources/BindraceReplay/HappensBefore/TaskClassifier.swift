import BindraceTrace

/// What the tracker needs to know about strings, computed once per string id
/// so that the hot loop does not touch text.
struct TaskClassifier {
    enum Role: UInt8 { case unknown = 0, other, kworker, udev }
    private var commRoles: [Role] = []
    private var modprobeFile: [UInt8] = []  // 0 unknown, 1 no, 2 yes

    mutating func role(of comm: StringID, strings: StringTable) -> Role {
        let i = Int(comm)
        if i < commRoles.count, commRoles[i] != .unknown { return commRoles[i] }
        if commRoles.count <= i { commRoles.append(contentsOf: repeatElement(.unknown, count: i + 1 - commRoles.count)) }
        let role = Self.role(ofComm: strings[comm])
        commRoles[i] = role
        return role
    }

    /// The rule itself, on the text (every cache of it calls this).
    static func role(ofComm text: String) -> Role {
        text.hasPrefix("kworker") ? .kworker
            : (text.hasPrefix("systemd-udevd") || text == "(udev-worker)" || text.hasPrefix("udevd")) ? .udev
            : .other
    }

    /// The exec'd file's text names modprobe.
    static func isModprobe(file text: String) -> Bool { text == "modprobe" || text.hasSuffix("/modprobe") }

    /// The exec'd file is modprobe (the usermode helper runs /sbin/modprobe).
    mutating func isModprobe(_ file: StringID, strings: StringTable) -> Bool {
        let i = Int(file)
        if i < modprobeFile.count, modprobeFile[i] != 0 { return modprobeFile[i] == 2 }
        if modprobeFile.count <= i { modprobeFile.append(contentsOf: repeatElement(0, count: i + 1 - modprobeFile.count)) }
        let yes = Self.isModprobe(file: strings[file])
        modprobeFile[i] = yes ? 2 : 1
        return yes
    }
}
