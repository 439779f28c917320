import Agent
import Foundation

/// SIGTERM and SIGINT stop the agent gracefully (Leave, then flush). A repeat within a second of the first is
/// ignored (sent twice by `timeout` or to a process group, it must not cut the flush); a signal later than that
/// exits at once (`StopSignalPolicy`). `vconnector fleet` stops its connectors the same way.
public final class SignalStop: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    /// `stop` is called once, at the first signal; `exitNote` is printed when a later one exits at once.
    public init(exitNote: String, stop: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "vconnector.stop-signals")
        // Only touched on `queue`, which runs one handler at a time.
        var policy = StopSignalPolicy()
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                switch policy.receive(at: .now) {
                case .stopGracefully:
                    stop()
                case .ignoreRepeat:
                    FileHandle.standardError.write(Data("signal repeated within 1 s: still stopping gracefully; a signal after that exits at once\n".utf8))
                case .exitNow:
                    FileHandle.standardError.write(Data("second signal: exiting now; \(exitNote)\n".utf8))
                    _exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    convenience init(agent: Agent) {
        // The spool is crash-safe: what is not delivered is sent at the next start.
        self.init(exitNote: "undelivered records stay in the spool") { agent.stop(.graceful) }
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
