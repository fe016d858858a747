import BindraceTrace

// kernel/async.c: async_schedule_node_domain queues an entry with a cookie;
// async_run_entry_fn runs it in a kworker; async_synchronize_cookie(c) waits
// until every entry with a lower cookie has finished (0 here: _full, all).
extension HappensBeforeTracker {
    mutating func ruleAsyncRun(_ event: RawEvent, task: inout Task, index: Int) {
        if let scheduled = asyncScheduled.removeValue(forKey: event.a4) {
            join(&task, scheduled, rule: .asyncRun, to: index)
        }
    }

    mutating func ruleAsyncSynchronize(_ event: RawEvent, task: inout Task, index: Int) {
        let limit = event.a4
        for (cookie, done) in asyncDone where limit == 0 || cookie < limit {
            join(&task, done, rule: .asyncSynchronize, to: index)
        }
    }
}

// kernel/workqueue.c: __queue_work then process_one_work. A work item queued
// twice before it runs runs once, after both.
extension HappensBeforeTracker {
    mutating func ruleWorkStart(_ event: RawEvent, task: inout Task, index: Int) {
        for queued in workQueued.removeValue(forKey: event.a4) ?? [] {
            join(&task, queued, rule: .workqueue, to: index)
        }
    }
}
