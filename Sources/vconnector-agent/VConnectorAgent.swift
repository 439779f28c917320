import AgentCommandLine
import ArgumentParser
import ConnectorAPI

/// `vconnector-agent`: the deployable agent, exactly `vconnector agent` (same flags, help and behavior) in a
/// binary that links only what the agent needs: no mock-api, Hummingbird or NIO, so the running agent maps and
/// touches far fewer pages than the multi-command `vconnector` (see README.md, "Benchmarks").
@main
struct VConnectorAgent: AsyncParsableCommand {
    static let configuration = AgentHelp.configuration(
        commandName: "vconnector-agent", invocation: "vconnector-agent", version: BuildInfo.versionLine
    )

    @OptionGroup var options: AgentOptions

    func run() async throws {
        try await options.runAgent()
    }
}
