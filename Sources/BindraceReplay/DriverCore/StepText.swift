import BindraceTrace

/// How explanations quote a step (`EventRef.what`). One place, so that every
/// recorder of steps describes them with the same words.
enum StepText {
    static func register(driver: String, type: ProbeType) -> String { JoinedText.join("driver_register ", driver, " (", type.name, ")") }

    static func addID(driver: String, id: PCIMatchID, sysfs: Bool) -> String {
        TextWriter.text(capacity: 18 + PCIIDText.matchIDLength + 5 + driver.utf8.count) { text in
            text.append(sysfs ? "new_id " : "dynamic id (ids=) ")
            PCIIDText.append(id, to: &text)
            text.append(" for ")
            text.append(driver)
        }
    }

    static func removeID(driver: String, id: PCIMatchID) -> String { "remove_id \(PCIIDText.matchID(id)) from \(driver)" }

    static func deviceAdd(_ info: DeviceInfo) -> String {
        TextWriter.text(capacity: 11 + info.name.utf8.count + 12 + 20) { text in
            text.append("device_add ")
            text.append(info.name)
            if let ids = info.ids {
                text.append(" [")
                PCIIDText.append(ids, to: &text)
                text.append(byte: UInt8(ascii: "]"))
            }
            if info.isVirtualFunction { text.append(info.autoprobe ? " (VF, autoprobe on)" : " (VF, autoprobe off)") }
        }
    }

    static func deviceRemove(_ device: String) -> String { "device_remove \(device)" }

    static func override(device: String, driver: String) -> String {
        driver.isEmpty ? "driver_override of \(device) cleared" : "driver_override \(device) = \(driver)"
    }

    static func bind(device: String, driver: String) -> String { "bind \(device) to \(driver) (sysfs)" }
    static func unbind(device: String, driver: String) -> String { "unbind \(device) from \(driver) (sysfs)" }
    static func driversProbe(device: String) -> String { "drivers_probe \(device) (sysfs)" }
    static func asyncBarrier(cookie: UInt64) -> String { cookie == 0 ? "async_synchronize_full" : "async_synchronize_cookie \(cookie)" }
    static func deferredRetry(function: String) -> String { "deferred probe retry (\(function))" }

    static let beforeCapture = "before capture"
    static func presentAtStart(_ device: String, ids: PCIDeviceIDs) -> String { "\(device) [\(PCIIDText.pair(ids))] present when the capture started" }
    static func overrideAtStart(_ device: String, driver: String) -> String { "driver_override \(device) = \(driver) when the capture started" }
}
