#if BINDRACE_HAVE_MODULE_FILE_LIBS && canImport(CModuleFile)
import CModuleFile
#endif

/// Reading id tables and modinfo straight from .ko/.ko.xz/.ko.zst files
/// needs libelf, liblzma and libzstd; the manifest links them only when their
/// headers exist.
public enum ModuleFileSupport {
    #if BINDRACE_HAVE_MODULE_FILE_LIBS && canImport(CModuleFile)
    public static let librariesLinked = true
    #else
    public static let librariesLinked = false
    #endif

    /// Why .ko reading is not available in this build, or nil when it is.
    public static var unavailableReason: String? {
        librariesLinked
            ? nil
            : "reading module files needs a build with libelf, liblzma and libzstd headers (install libelf-dev liblzma-dev libzstd-dev and rebuild)"
    }
}
