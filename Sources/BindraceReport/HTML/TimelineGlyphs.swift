import BindraceReplay
import BindraceTrace

/// How one event or driver looks: class names the page's CSS colours, and
/// the SVG shape drawn at the event's place.
enum TimelineGlyphs {
    /// `vfio` or `native` (CSS classes that colour a driver).
    static func driverClass(_ driver: String?) -> String {
        guard let driver, !driver.isEmpty else { return "nodrv" }
        return DriverName.isVFIO(driver) ? "vfio" : "native"
    }

    /// The CSS class of an instant's kind.
    static func kindClass(_ kind: EventKind) -> String {
        switch kind {
        case .deviceAdd, .deviceRemove: "k-dev"
        case .dynamicIDAdded, .sysfsNewID, .sysfsRemoveID: "k-id"
        case .driverOverrideWritten: "k-ovr"
        case .bound, .unbound, .sysfsBind, .sysfsUnbind, .sysfsDriversProbe: "k-bind"
        case .moduleLoad, .moduleRequest, .moduleInitDone: "k-mod"
        case .processFork, .processExec, .processExit, .processWait: "k-proc"
        case .driverRegisterStart, .driverRegisterEnd, .probeStart, .probeEnd: "k-reg"
        default: "k-misc"
        }
    }

    /// Events drawn as glyphs (slice ends are drawn by their slices).
    static func isDrawnAsInstant(_ kind: EventKind) -> Bool {
        switch kind {
        case .driverRegisterStart, .driverRegisterEnd, .probeStart, .probeEnd: false
        default: true
        }
    }

    /// Shapes centred on (0, 0).
    static func shape(_ kind: EventKind) -> String {
        switch kind {
        case .deviceAdd, .deviceRemove: "<path d=\"M0 -7 L7 0 L0 7 L-7 0 Z\"/>"
        case .dynamicIDAdded, .sysfsNewID, .sysfsRemoveID: "<path d=\"M0 -7 L7 6 L-7 6 Z\"/>"
        case .driverOverrideWritten: "<rect x=\"-6\" y=\"-6\" width=\"12\" height=\"12\"/>"
        case .bound, .sysfsBind: "<circle r=\"7\"/><path class=\"tick\" d=\"M-3.5 0 L-1 3 L4 -3\"/>"
        case .unbound, .sysfsUnbind: "<circle r=\"6\"/>"
        case .moduleLoad, .moduleRequest, .moduleInitDone: "<circle r=\"3.5\"/>"
        case .processFork, .processExec, .processExit, .processWait: "<rect x=\"-1.5\" y=\"-7\" width=\"3\" height=\"14\"/>"
        default: "<circle r=\"2.5\"/>"
        }
    }

    /// A lane's role as a short word and a CSS class.
    static func roleClass(_ role: TimelineLane.Role) -> String { "r-\(role.rawValue)" }
}
