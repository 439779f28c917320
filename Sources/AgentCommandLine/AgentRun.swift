import Agent
import ArgumentParser
import Logging
#if canImport(Glibc)
import Glibc
#endif

extension AgentOptions {
    /// Runs the agent with these options until SIGTERM/SIGINT: what `vconnector agent` and `vconnector-agent` do.
    public func runAgent() async throws {
        let configuration = try resolvedConfiguration()
        limitMallocArenas()
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

    /// At most two malloc arenas. glibc gives each thread that allocates an arena of its own (up to 8 per
    /// core); the agent's threads (HTTP exchanges, the site's apply thread, one per namespace) each kept a
    /// few hundred KB there that no other thread could reuse: ~2 MB of the agent's 3 MB anonymous memory with a
    /// site applied. The agent's threads rarely allocate at the same time, so sharing costs no measurable CPU.
    /// mallopt is looked up because Swift's Glibc module does not declare malloc.h; M_ARENA_MAX is -8 there.
    private func limitMallocArenas() {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(-8, 2)
        #endif
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
