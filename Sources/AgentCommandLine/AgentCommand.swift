import ArgumentParser

/// `vconnector agent`: the device. Lifecycle events, periodic snapshots, check-ins, store-and-forward.
/// The agent-only binary `vconnector-agent` runs the same options without the other subcommands linked in.
public struct AgentCommand: AsyncParsableCommand {
    public static let configuration = AgentHelp.configuration(commandName: "agent", invocation: "vconnector agent")

    @OptionGroup var options: AgentOptions

    public init() {}

    public func run() async throws {
        try await options.runAgent()
    }
}
