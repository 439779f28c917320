import Agent
import Foundation

/// SIGTERM and SIGINT stop the agent gracefully (Leave, then flush); a second signal exits at once.
final class SignalStop: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(agent: Agent) {
        let queue = DispatchQueue(label: "vconnector.agent.signals")
        var count = 0
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                count += 1
                if count == 1 {
                    agent.stop(.graceful)
                } else {
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
