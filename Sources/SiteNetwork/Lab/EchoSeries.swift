import ConnectorAPI
import Foundation
import Synchronization

/// A lab host pinging an address at a steady rate while something happens (an HA failover), then which probes
/// were answered: what `bench failover` and the HA tests measure an outage with.
package final class EchoSeries: @unchecked Sendable {
    /// One probe: when it was sent, and whether its reply came (within a second).
    package struct Probe: Sendable {
        package var sent: ContinuousClock.Instant
        package var answered: Bool
    }

    private let descriptor: Int32
    private let destination: IPv4Address
    private let interval: Duration
    private let identifier = UInt16.random(in: 1...UInt16.max)
    private let state = Mutex<(probes: [Probe], running: Bool)>(([], true))
    private let finished = DispatchSemaphore(value: 0)

    /// Starts pinging `destination` from `namespace` every `interval`.
    package init(from namespace: String, to destination: IPv4Address, interval: Duration = .milliseconds(100)) throws {
        descriptor = try ICMPEcho.socket(in: namespace)
        self.destination = destination
        self.interval = interval
        Thread.detachNewThread { [self] in loop() }
    }

    private func loop() {
        var next = ContinuousClock.now
        var sequence: UInt16 = 0
        var lastSent = ContinuousClock.now
        while state.withLock({ $0.running }) || ContinuousClock.now < lastSent + .seconds(1) {
            if state.withLock({ $0.running }) && ContinuousClock.now >= next {
                let sent = ContinuousClock.now
                ICMPEcho.send(descriptor, to: destination, identifier: identifier, sequence: sequence)
                state.withLock { $0.probes.append(Probe(sent: sent, answered: false)) }
                sequence &+= 1
                lastSent = sent
                next += interval
            }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, 5)
            for reply in ICMPEcho.replies(descriptor) where reply.identifier == identifier && reply.source == destination {
                state.withLock { state in
                    let index = Int(reply.sequence)
                    if index < state.probes.count, ContinuousClock.now - state.probes[index].sent < .seconds(1) {
                        state.probes[index].answered = true
                    }
                }
            }
        }
        close(descriptor)
        finished.signal()
    }

    /// Stops sending, waits a second for the last replies, and returns every probe in order.
    package func stop() -> [Probe] {
        state.withLock { $0.running = false }
        finished.wait()
        return state.withLock { $0.probes }
    }
}

/// What a series of probes says about an outage that began at `fault`.
package struct Outage: Sendable, Equatable {
    /// Probes without a reply.
    package var lost: Int
    /// From the fault to the first answered probe after the last lost one: zero when none was lost, nil when
    /// the last probe was lost.
    package var recovery: Duration?

    package init(_ probes: [EchoSeries.Probe], fault: ContinuousClock.Instant) {
        lost = probes.filter { !$0.answered }.count
        guard let last = probes.lastIndex(where: { !$0.answered }) else {
            recovery = .zero
            return
        }
        recovery = probes[last...].first { $0.answered }.map { max(.zero, $0.sent - fault) }
    }
}
