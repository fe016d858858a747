@testable import bindrace
import Dispatch
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The executable's thread helpers.
@Suite struct ThreadsTests {
    /// Reports the thread its deinit runs on.
    final class Probe {
        let freed: @Sendable (pthread_t) -> Void
        init(_ freed: @escaping @Sendable (pthread_t) -> Void) { self.freed = freed }
        deinit { freed(pthread_self()) }
    }

    /// A value like the step stage: a struct holding objects.
    struct Holder {
        var probe: Probe
        var other = [1, 2, 3]
    }

    @Test func aValueIsLetGoOnAnotherThread() {
        let done = DispatchSemaphore(value: 0)
        let freedOn = Mutex<pthread_t?>(nil)
        var holder = Holder(probe: Probe { thread in
            freedOn.withLock { $0 = thread }
            done.signal()
        })
        holder.other.append(4)
        releaseOnAnotherThread(consume holder)
        #expect(done.wait(timeout: .now() + 10) == .success)
        let thread = freedOn.withLock { $0 }
        #expect(thread != nil && thread != pthread_self())
    }
}
