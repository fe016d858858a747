#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BindraceReplay
import BindraceTrace
import Dispatch

/// One trace file through the streaming replay: a regular binary file is
/// read in place (mapped); a large one is analysed on two threads, the
/// reader with the clock stage on one and the step stage on the other,
/// handing batches of records (read in place) and their stamps through a
/// small bounded queue.
enum StreamingAnalysis {
    struct Outcome {
        var analysis: TraceAnalysis
        var diagnostics: [TraceDiagnostic]
        var lifetimesJudged: Int
        /// Lifetimes judged by their repeat key alone.
        var repeatHits: Int
        var lifetimeAnalyses: Int
        var explorations: Int
        var clockSlots: Int
        var threads: Int
        var cacheHits = 0
        /// On two threads: CPU seconds of the reader with the clock stage,
        /// and of the step stage (its thread's CPU time up to the trace's end).
        var stageCPU: (clocks: Double, steps: Double)?
        /// On two threads: wall seconds the reader waited for room in the
        /// queue (the step stage was behind), and the step stage for batches.
        var queueWaits: (reader: Double, steps: Double)?
        /// Wall seconds of the final per-device analyses (on every core).
        var finalSeconds = 0.0
        /// Peak RSS (kB) when the trace was read, before the final analyses.
        var streamPeakKB = 0
        /// On two threads, a mapped file: chunks whose checksums a waiting
        /// side verified ahead of the reader, and those the reader then skipped.
        var checksumsAhead: (verified: Int, used: Int)?
    }

    /// Records per batch handed from the clock stage to the step stage:
    /// about one chunk's worth, so that the records in flight stay in the
    /// caches for the step stage to read again.
    static let batchRecords = 4_096

    /// Batches in flight at most (about 1.5 MB of records on the synthetic
    /// traces). 16 and 32 were tried, twice: the waits on either side did
    /// not shrink, and the peak RSS rose 4-9 MB.
    static let batchesInFlight = 8

    /// `tracesTogether`: traces analysed and merged together (warnings then name their trace).
    static func run(path: String, encoding: TraceEncoding?, threads: Int? = nil, tracesTogether: Int = 1,
                    progress: ((Int) -> Void)? = nil) throws(InputFailure) -> Outcome {
        let mapped = path == "-" || (encoding ?? TraceEncoding(path: path)) == .jsonl ? nil : MappedFile(path: path)
        let wanted = threads ?? (mapped != nil && mapped!.bytes.count >= 48_000_000 && cores() > 1 ? 2 : 1)
        if let mapped {
            let input: TraceInput<MemoryRegionSource>
            do {
                input = try TraceInput(source: MemoryRegionSource(mapped.bytes), encoding: .binary)
            } catch {
                throw InputFailure(error.rendered(file: path))
            }
            return run(input, name: path, threads: wanted, together: tracesTogether, mapped: mapped, progress: progress)
        }
        return run(try TraceFiles.open(path, encoding: encoding), name: path, threads: 1, together: tracesTogether, mapped: nil,
                   progress: progress)
    }

    /// Wall seconds since `start` (`DispatchTime` nanoseconds), as the bench phases time themselves.
    private static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    static func cores() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    private static func run<Source: ByteSource>(_ input: TraceInput<Source>, name: String, threads: Int, together: Int,
                                                mapped: MappedFile?, progress: ((Int) -> Void)?) -> Outcome {
        var input = input
        let discarder = mapped.map { PageDiscarder($0) }
        if threads < 2 {
            let pagesAhead = mapped.map { PagesAhead($0) }
            var replay = StreamingReplay(name: name)
            var failure: TraceError?
            do {
                while try input.visitNext(counting: { visit in
                    switch visit {
                    case .events(let records):
                        pagesAhead?.reach(chunkAt: records.offset, bytes: records.byteCount)
                        let counted = replay.consume(records)
                        discarder?.discard(before: records.offset)
                        progress?(replay.eventsConsumed)
                        return counted
                    case .snapshot(let snapshot, _, _):
                        replay.consume(snapshot: snapshot)
                        return nil
                    }
                }) {}
            } catch {
                failure = error
            }
            withExtendedLifetime(mapped) {}
            let diagnostics = withFailure(input.diagnostics, failure)
            let streamPeak = TraceRecording.peakRSSKilobytes()
            let finalStart = DispatchTime.now().uptimeNanoseconds
            let analysis = replay.finish(diagnostics: diagnostics, of: together, workers: threads)
            return Outcome(analysis: analysis, diagnostics: diagnostics, lifetimesJudged: replay.steps.lifetimesJudged,
                           repeatHits: replay.steps.repeatHits, lifetimeAnalyses: replay.steps.lifetimeAnalyses, explorations: replay.steps.explorationsRun,
                           clockSlots: replay.clocks.peakClockSlots, threads: 1, cacheHits: replay.steps.projectionCacheHits,
                           finalSeconds: seconds(since: finalStart), streamPeakKB: streamPeak)
        }
        // While one stage waits for the other, it gives back the pages both
        // have read, maps those ahead of the reader, and verifies the
        // checksums of the chunks ahead of the reader, which the reader then
        // skips. (The clock stage counts the records for the reader.)
        let ahead = mapped.map { ChecksumsAhead(bytes: $0.bytes) }
        input.verifiedChecksums = ahead
        let pages = mapped.map { PagesAhead($0) }
        var idleWork: (@Sendable () -> Bool)?
        if let ahead, let discarder, let pages { idleWork = { discarder.discardPending() || pages.mapAhead() || ahead.verifyNext() } }
        let queue = BatchQueue(depth: batchesInFlight, idleWork: idleWork)
        let reader = ReaderThread(input: input, ahead: ahead, pagesAhead: pages)
        startThread { reader.run(queue) }
        var steps = StepStage(name: name)
        let stepsStart = ThreadCPUTime.now()
        while var batch = queue.pop() {
            steps.consume(batch)
            // The step stage reads the records last: their pages may go.
            if let offset = batch.lastOffset { discarder?.reached(offset) }
            progress?(steps.eventsConsumed)
            batch.clear()
            queue.recycle(batch)
        }
        let stepsCPU = ThreadCPUTime.now() - stepsStart
        // The records were read in place until here.
        withExtendedLifetime(mapped) {}
        let (diagnostics, slots, clocksCPU) = reader.result()
        let streamPeak = TraceRecording.peakRSSKilobytes()
        let finalStart = DispatchTime.now().uptimeNanoseconds
        let analysis = steps.finish(diagnostics: diagnostics, of: together, workers: threads)
        let outcome = Outcome(analysis: analysis, diagnostics: diagnostics, lifetimesJudged: steps.lifetimesJudged,
                              repeatHits: steps.repeatHits, lifetimeAnalyses: steps.lifetimeAnalyses, explorations: steps.explorationsRun, clockSlots: slots,
                              threads: 2, stageCPU: (clocksCPU, stepsCPU), queueWaits: queue.waited, finalSeconds: seconds(since: finalStart),
                              streamPeakKB: streamPeak, checksumsAhead: ahead?.counts)
        // The step stage's buffers (tens of thousands of devices') took 75 ms
        // to free on the 100M-event trace, which the report need not wait
        // for; the other thread asked for is idle by now.
        releaseOnAnotherThread(consume steps)
        return outcome
    }

    static func withFailure(_ diagnostics: [TraceDiagnostic], _ failure: TraceError?) -> [TraceDiagnostic] {
        guard let failure else { return diagnostics }
        return diagnostics + [TraceDiagnostic(severity: .damage, offset: failure.offset, line: failure.line, message: failure.message)]
    }

    /// The reading thread: the reader and the clock stage, filling batches.
    private final class ReaderThread<Source: ByteSource>: @unchecked Sendable {
        private var input: TraceInput<Source>
        private let ahead: ChecksumsAhead?
        private let pagesAhead: PagesAhead?
        private var diagnostics: [TraceDiagnostic] = []
        private var slots = 0
        private var cpu = 0.0
        private let finished = Monitor()
        private var done = false

        init(input: TraceInput<Source>, ahead: ChecksumsAhead?, pagesAhead: PagesAhead?) {
            self.input = input
            self.ahead = ahead
            self.pagesAhead = pagesAhead
        }

        func run(_ queue: BatchQueue) {
            let start = ThreadCPUTime.now()
            var clocks = ClockStage()
            var batch = queue.fresh()
            var failure: TraceError?
            do {
                while try input.visitNext(counting: { visit in
                    var counted: ChunkTally?
                    switch visit {
                    case .events(let records):
                        ahead?.readerReached(records.offset)
                        pagesAhead?.reach(chunkAt: records.offset, bytes: records.byteCount)
                        counted = clocks.consume(records, into: &batch)
                    case .snapshot(let snapshot, _, let offset):
                        ahead?.readerReached(offset)
                        clocks.consume(snapshot: snapshot, into: &batch)
                    }
                    if batch.records >= StreamingAnalysis.batchRecords {
                        queue.push(batch)
                        batch = queue.fresh()
                    }
                    return counted
                }) {}
            } catch {
                failure = error
            }
            if !batch.isEmpty { queue.push(batch) }
            let used = ThreadCPUTime.now() - start
            finished.withLock {
                diagnostics = StreamingAnalysis.withFailure(input.diagnostics, failure)
                slots = clocks.peakClockSlots
                cpu = used
                done = true
                finished.broadcast()
            }
            queue.close()
        }

        func result() -> ([TraceDiagnostic], Int, Double) {
            finished.lock()
            while !done { finished.wait() }
            finished.unlock()
            return (diagnostics, slots, cpu)
        }
    }
}
