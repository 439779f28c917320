import Agent
import ConnectorAPI
import Foundation
import Testing

@Suite struct ConfigurationTests {
    func valid() -> AgentConfiguration {
        AgentConfiguration(
            apiBase: "http://127.0.0.1:8787/client/v4", accountID: "acc1", connectorID: "c1", apiToken: "tok",
            stateDirectory: "/tmp/x")
    }

    @Test func aValidConfigurationHasNoProblems() {
        #expect(valid().problems().isEmpty)
    }

    @Test func everyProblemIsNamedAtOnce() {
        var configuration = valid()
        configuration.apiBase = "ftp://x"
        configuration.apiToken = ""
        configuration.connectorID = "a/b"
        configuration.snapshotInterval = 0
        configuration.spoolLimit = 0
        configuration.caFile = "/nonexistent/ca.pem"
        let problems = configuration.problems()
        #expect(problems.count == 6, "\(problems)")
        #expect(problems.contains { $0.contains("VCONNECTOR_API_TOKEN") })
        #expect(problems.contains { $0.contains("--ca-file") && $0.contains("/nonexistent/ca.pem") })
    }

    @Test func theTokenIsNeverInTheDescription() {
        var configuration = valid()
        configuration.apiToken = "s3cr3t-token"
        #expect(!configuration.description.contains("s3cr3t"))
    }

    @Test func agentInitRefusesABadConfigurationBeforeAnythingStarts() {
        var configuration = valid()
        configuration.stateDirectory = temporaryStateDirectory()
        configuration.checkinInterval = -1
        #expect(throws: ConfigurationError.self) {
            try Agent(configuration: configuration, snapshotSource: countersOnlySnapshot)
        }
        #expect(!FileManager.default.fileExists(atPath: configuration.stateDirectory), "nothing was created")
    }

    @Test func configFileParsesKnownKeysAndRejectsUnknownOnes() throws {
        let file = try AgentConfigurationFile.parse(
            Data(
                #"{"api_base":"http://h/client/v4","snapshot_interval":0.5,"spool_limit":9,"netns":"vc1","ca_file":"/etc/lab-ca.pem"}"#
                    .utf8))
        #expect(
            file.apiBase == "http://h/client/v4" && file.snapshotInterval == 0.5 && file.spoolLimit == 9
                && file.netns == "vc1")
        #expect(file.caFile == "/etc/lab-ca.pem")
        #expect(throws: ConfigurationError.self) {
            try AgentConfigurationFile.parse(Data(#"{"snapshot_intervall":1}"#.utf8))
        }
        #expect(throws: ConfigurationError.self) {
            try AgentConfigurationFile.parse(Data(#"{"spool_limit":"many"}"#.utf8))
        }
        #expect(throws: ConfigurationError.self) { try AgentConfigurationFile.parse(Data("[1]".utf8)) }
    }
}
