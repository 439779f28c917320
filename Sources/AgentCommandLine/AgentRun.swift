import Agent
import ArgumentParser
import CGlibcExtras
import Foundation
import Logging

extension AgentOptions {
    /// Runs the agent with these options until SIGTERM/SIGINT or a shutdown interrupt (a restart interrupt re-execs
    /// the process): what `vconnector agent` and `vconnector-agent` do.
    public func runAgent() async throws {
        let configuration = try resolvedConfiguration()
        if checkConfig {
            // For operators and scripts/install: the settings as the agent would run with them, nothing started.
            print("configuration OK: \(configuration)")
            return
        }
        // At most two malloc arenas: glibc gives each thread that allocates an arena of its own (up to 8 per
        // core), and the agent's threads (blocking work on dispatch threads, one per namespace) each kept
        // memory there no other thread could reuse (0.4 MB of anonymous memory with a site applied, measured).
        // They rarely allocate at the same time, so sharing costs no measurable CPU.
        _ = vc_limit_malloc_arenas(2)
        bootstrapLogging()
        let agent: Agent
        do {
            agent = try Agent(configuration: configuration)
        } catch {
            throw ValidationError("cannot start the agent: \(error)")
        }
        let metrics: MetricsListener?
        do {
            metrics = try metricsListen.map { address in try MetricsListener(address: address) { agent.metricsExposition() } }
        } catch {
            throw ValidationError("\(error)")
        }
        let signals = SignalStop(agent: agent)
        let rotations = SignalRotate(agent: agent)
        await agent.run()
        metrics?.close()
        withExtendedLifetime((signals, rotations)) {}
        if agent.requestedExit == .restart {
            let reason = SelfExec.replaceProcess()
            // Still here: exit non-zero, so a Restart=on-failure supervisor starts the agent again instead.
            FileHandle.standardError.write(Data("cannot re-exec for the restart interrupt (\(reason)); exiting for the supervisor to restart the agent\n".utf8))
            throw ExitCode(75)
        }
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
