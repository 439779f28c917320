import Agent
import ArgumentParser
import Logging

extension AgentOptions {
    /// Runs the agent with these options until SIGTERM/SIGINT: what `vconnector agent` and `vconnector-agent` do.
    public func runAgent() async throws {
        let configuration = try resolvedConfiguration()
        bootstrapLogging()
        let agent: Agent
        do {
            agent = try Agent(configuration: configuration)
        } catch {
            throw ValidationError("cannot start the agent: \(error)")
        }
        let signals = SignalStop(agent: agent)
        let rotations = SignalRotate(agent: agent)
        await agent.run()
        withExtendedLifetime((signals, rotations)) {}
    }

    private func bootstrapLogging() {
        switch logFormat {
        case .text:
            log.bootstrap()
        case .json:
            let level = log.logLevel
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
