import Foundation
import Logging

/// Sends the spool's backlog in order, in batches, and removes what the API acknowledged. A batch is the
/// longest run of same-kind records at the head of the spool (at most `batchSize`), so records leave in the
/// order they were recorded. Ingest is idempotent on `t` / `(t, n)`: a batch re-sent after a lost
/// acknowledgement is stored once.
package final class Transmitter: Sendable {
    package enum DrainResult: Equatable {
        case drained
        case failed(String)
    }

    let spool: Spool
    let client: APIClient
    let statistics: StatisticsBox
    let batchSize: Int
    let logger: Logger

    package init(spool: Spool, client: APIClient, statistics: StatisticsBox, batchSize: Int, logger: Logger) {
        self.spool = spool
        self.client = client
        self.statistics = statistics
        self.batchSize = batchSize
        self.logger = logger
    }

    /// Sends batches until the spool is empty, a send fails, or `deadline` passes.
    package func drain(until deadline: ContinuousClock.Instant? = nil) async -> DrainResult {
        while true {
            if let deadline, ContinuousClock.now >= deadline { return .failed("deadline reached") }
            let head: [SpoolRecord]
            do {
                head = try spool.oldest(batchSize)
            } catch {
                return .failed("cannot read the spool: \(error)")
            }
            guard let first = head.first else { return .drained }
            let batch = Array(head.prefix { $0.kind == first.kind })
            switch await client.post(first.kind, bodies: batch.map(\.body)) {
            case .acknowledged:
                if let failure = acknowledged(batch) { return .failed(failure) }
            case .retry(let reason):
                statistics.update { $0.counters.transmitFailures += 1 }
                return .failed(reason)
            case .rejected(let status, let message):
                statistics.update { $0.counters.transmitFailures += 1 }
                // One bad record must not block the others: send them one by one, drop only the refused.
                for record in batch {
                    switch await batch.count == 1
                        ? .rejected(status: status, message: message) : client.post(record.kind, bodies: [record.body])
                    {
                    case .acknowledged:
                        if let failure = acknowledged([record]) { return .failed(failure) }
                    case .retry(let reason):
                        statistics.update { $0.counters.transmitFailures += 1 }
                        return .failed(reason)
                    case .rejected(let status, let message):
                        logger.error(
                            "API refused a record; dropping it",
                            metadata: [
                                "kind": "\(record.kind.rawValue)", "t": "\(record.stamp.t)", "n": "\(record.stamp.n)",
                                "status": "\(status)", "reason": "\(message)",
                            ])
                        if let failure = acknowledged([record], delivered: false) { return .failed(failure) }
                    }
                }
            }
        }
    }

    /// Removes records the API has answered for; nil on success, else why not.
    private func acknowledged(_ records: [SpoolRecord], delivered: Bool = true) -> String? {
        let removed: Int
        do {
            removed = try spool.remove(ids: records.map(\.id))
        } catch {
            return "cannot remove acknowledged records from the spool: \(error)"
        }
        statistics.update {
            if delivered { $0.delivered += UInt64(records.count) } else { $0.rejected += UInt64(records.count) }
            $0.reclaimedInFlight += UInt64(records.count - removed)
        }
        logger.trace("delivered", metadata: ["kind": "\(records[0].kind.rawValue)", "records": "\(records.count)"])
        return nil
    }

    /// Drains whenever woken, backing off (capped, jittered) while the API fails; returns when cancelled.
    func run(wakeups: AsyncStream<Void>, backoff initial: Backoff) async {
        var backoff = initial
        var iterator = wakeups.makeAsyncIterator()
        var failing = false
        while !Task.isCancelled {
            switch await drain() {
            case .drained:
                if failing { logger.notice("API reachable again; backlog delivered") }
                failing = false
                backoff.reset()
                guard await iterator.next() != nil else { return }
            case .failed(let reason):
                if Task.isCancelled { return }
                let delay = backoff.next()
                let waiting = (try? spool.count()) ?? -1
                if !failing {
                    logger.warning(
                        "cannot deliver; keeping records spooled and retrying",
                        metadata: [
                            "reason": "\(reason)", "retry_in_s": "\(String(format: "%.2f", delay))",
                            "spooled": "\(waiting)",
                        ])
                } else {
                    logger.debug(
                        "delivery still failing",
                        metadata: [
                            "reason": "\(reason)", "retry_in_s": "\(String(format: "%.2f", delay))",
                            "spooled": "\(waiting)",
                        ])
                }
                failing = true
                try? await Task.sleep(for: .seconds(delay))
            }
        }
    }
}
