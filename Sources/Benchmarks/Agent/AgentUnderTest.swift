import Foundation

/// The agent `bench agent` measures: the agent-only `vconnector-agent`, or the multi-command binary's `agent`.
public struct AgentUnderTest: Sendable {
    /// The executable started.
    let path: String
    /// Arguments before the agent's flags: `["agent"]` for the multi-command binary, none for `vconnector-agent`.
    let subcommand: [String]

    /// How a user would start it, e.g. `vconnector-agent` or `vconnector agent`.
    var command: String {
        ([URL(fileURLWithPath: path).lastPathComponent] + subcommand).joined(separator: " ")
    }

    /// The file's size on disk.
    var megabytes: Double {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
        return Double(bytes) / 1_048_576
    }

    /// `auto`: `vconnector-agent` next to the running binary if it is there, else `self`; `self`: the running
    /// binary's `agent` subcommand; anything else: the path of an agent-only binary.
    public static func resolve(_ choice: String) throws -> AgentUnderTest {
        let running = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let runningAgent = AgentUnderTest(path: running, subcommand: ["agent"])
        switch choice {
        case "self":
            return runningAgent
        case "auto":
            let sibling = URL(fileURLWithPath: running).deletingLastPathComponent().appendingPathComponent(
                "vconnector-agent"
            ).path
            return FileManager.default.isExecutableFile(atPath: sibling)
                ? AgentUnderTest(path: sibling, subcommand: []) : runningAgent
        default:
            let path = URL(fileURLWithPath: choice).standardizedFileURL.path
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw BenchmarkFailure(
                    "--agent-binary: \(choice) is not an executable file (auto, self or the path of vconnector-agent)")
            }
            return AgentUnderTest(path: path, subcommand: [])
        }
    }
}
