#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time the calling thread has used, in seconds. On two threads it
/// says which stage bounds a run: wall time cannot, since a stage waiting
/// on the other uses none.
enum ThreadCPUTime {
    static func now() -> Double {
        var ts = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0 else { return 0 }
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
