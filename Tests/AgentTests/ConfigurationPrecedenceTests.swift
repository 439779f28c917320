import Agent
import ConnectorAPI
import Foundation
import Testing

@Suite struct ConfigurationPrecedenceTests {
    @Test func flagsBeatTheEnvironmentWhichBeatsTheFileWhichBeatsDefaults() throws {
        let file = try AgentConfigurationFile.parse(
            Data(
                #"{"api_base":"http://file/client/v4","account_id":"fileacc","connector_id":"filecon","api_token":"filetoken","snapshot_interval":5,"spool_limit":7}"#
                    .utf8))
        var flags = AgentConfigurationFile()
        flags.connectorID = "flagcon"
        flags.spoolLimit = 9

        let fromEnvironment = AgentConfiguration.resolve(file: file, flags: flags, environmentToken: "envtoken")
        #expect(fromEnvironment.apiBase == "http://file/client/v4" && fromEnvironment.accountID == "fileacc")
        #expect(
            fromEnvironment.connectorID == "flagcon" && fromEnvironment.spoolLimit == 9
                && fromEnvironment.snapshotInterval == 5)
        #expect(fromEnvironment.apiToken == "envtoken")
        #expect(
            fromEnvironment.checkinInterval == 10
                && fromEnvironment.stateDirectory == AgentConfiguration.defaultStateDirectory)

        #expect(
            AgentConfiguration.resolve(file: file, flags: flags, environmentToken: "").apiToken == "filetoken",
            "an empty env var does not count")
        flags.apiToken = "flagtoken"
        #expect(
            AgentConfiguration.resolve(file: file, flags: flags, environmentToken: "envtoken").apiToken == "flagtoken")
        #expect(
            AgentConfiguration.resolve(
                file: AgentConfigurationFile(), flags: AgentConfigurationFile(), environmentToken: nil
            ).apiBase == AgentConfiguration.defaultAPIBase)
    }
}
