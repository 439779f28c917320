import Agent
import Foundation

/// SIGTERM and SIGINT stop the agent gracefully (Leave, then flush). A repeat within a second of the first is
/// ignored (sent twice by `timeout` or to a process group, it must not cut the flush); a signal later than that
/// exits at once (`StopSignalPolicy`).
final class SignalStop: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(agent: Agent) {
        let queue = DispatchQueue(label: "vconnector.agent.signals")
        // Only touched on `queue`, which runs one handler at a time.
        var policy = StopSignalPolicy()
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                switch policy.receive(at: .now) {
                case .stopGracefully:
                    agent.stop(.graceful)
                case .ignoreRepeat:
                    FileHandle.standardError.write(Data("signal repeated within 1 s: still stopping gracefully; a signal after that exits at once\n".utf8))
                case .exitNow:
                    // The spool is crash-safe: what is not delivered is sent at the next start.
                    FileHandle.standardError.write(Data("second signal: exiting now; undelivered records stay in the spool\n".utf8))
                    _exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }
}

/// SIGUSR1 rotates the device key, SIGUSR2 the certificate (on demand, besides the schedules).
final class SignalRotate: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(agent: Agent) {
        let queue = DispatchQueue(label: "vconnector.agent.rotation-signals")
        for (number, kind) in [(SIGUSR1, RotationKind.cryptKey), (SIGUSR2, RotationKind.pki)] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { agent.requestRotation(kind) }
            source.resume()
            sources.append(source)
        }
    }
}
