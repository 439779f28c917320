import Agent
import ConnectorAPI
import Foundation
import Testing

@Suite struct StampTests {
    @Test func eventsCountUpWithinOneTimeAndNeverGoBack() {
        let first = Stamp.event(after: nil, now: 100)
        #expect(first == Stamp(t: 100, n: 0))
        #expect(Stamp.event(after: first, now: 100) == Stamp(t: 100, n: 1))
        #expect(Stamp.event(after: Stamp(t: 100, n: 1), now: 50) == Stamp(t: 100, n: 2), "a clock stepped back does not move t back")
        #expect(Stamp.event(after: Stamp(t: 100, n: 7), now: 101.5) == Stamp(t: 101.5, n: 0))
    }

    @Test func snapshotsGetAStrictlyLaterTime() {
        #expect(Stamp.snapshot(after: Stamp(t: 100, n: 3), now: 100) == Stamp(t: 100.000_001, n: 0))
        #expect(Stamp.snapshot(after: Stamp(t: 100, n: 0), now: 90).t > 100)
        #expect(Stamp.snapshot(after: Stamp(t: 100, n: 0), now: 120) == Stamp(t: 120, n: 0))
    }
}

@Suite struct SpoolTests {
    @Test func appendsInOrderPersistsTheSequenceAndReclaimsTheOldest() throws {
        let directory = temporaryStateDirectory()
        var spool: Spool? = try Spool(directory: directory, limit: 3)
        var reclaimed: [Int] = []
        for index in 0..<5 {
            reclaimed.append(try spool!.append(.event, now: 10) { stamp in Data("{\"i\":\(index),\"n\":\(stamp.n)}".utf8) }.reclaimed)
        }
        #expect(reclaimed == [0, 0, 0, 1, 1], "each append past the limit reclaims the oldest in the same transaction")
        #expect(try spool!.count() == 3)
        let kept = try spool!.oldest(10)
        #expect(kept.map(\.stamp) == [Stamp(t: 10, n: 2), Stamp(t: 10, n: 3), Stamp(t: 10, n: 4)])
        #expect(String(decoding: kept[0].body, as: UTF8.self) == "{\"i\":2,\"n\":2}")
        try spool!.remove(ids: kept.prefix(3).map(\.id))
        spool = nil
        let reopened = try Spool(directory: directory, limit: 3)
        #expect(try reopened.count() == 0)
        #expect(try reopened.lastStamp() == Stamp(t: 10, n: 4), "the last stamp survives an empty spool and a reopen")
        #expect(try reopened.append(.event, now: 5) { _ in Data("{}".utf8) }.stamp == Stamp(t: 10, n: 5))
    }

    @Test func aFailedEncodingHandsOutNoStamp() throws {
        let spool = try Spool(directory: temporaryStateDirectory(), limit: 10)
        struct Boom: Error {}
        #expect(throws: Boom.self) { try spool.append(.event, now: 1) { _ in throw Boom() } }
        #expect(try spool.lastStamp() == nil && spool.count() == 0)
    }

    @Test func refusesAStateDirThatIsAFile() throws {
        let path = temporaryStateDirectory()
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(throws: SpoolError.self) { try Spool(directory: path, limit: 10) }
    }
}

@Suite struct BackoffTests {
    @Test func doublesUpToTheCapWithJitterInTheUpperHalf() {
        var backoff = Backoff(initial: 0.5, cap: 4)
        let ceilings = [0.5, 1, 2, 4, 4, 4]
        for ceiling in ceilings {
            let delay = backoff.next()
            #expect(delay >= ceiling / 2 && delay <= ceiling, "delay \(delay) for ceiling \(ceiling)")
        }
        backoff.reset()
        #expect(backoff.next() <= 0.5)
    }
}

@Suite struct ConfigurationTests {
    func valid() -> AgentConfiguration {
        AgentConfiguration(apiBase: "http://127.0.0.1:8787/client/v4", accountID: "acc1", connectorID: "c1", apiToken: "tok", stateDirectory: "/tmp/x")
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
        #expect(throws: ConfigurationError.self) { try Agent(configuration: configuration, snapshotSource: countersOnlySnapshot) }
        #expect(!FileManager.default.fileExists(atPath: configuration.stateDirectory), "nothing was created")
    }

    @Test func configFileParsesKnownKeysAndRejectsUnknownOnes() throws {
        let file = try AgentConfigurationFile.parse(Data(#"{"api_base":"http://h/client/v4","snapshot_interval":0.5,"spool_limit":9,"netns":"vc1","ca_file":"/etc/lab-ca.pem"}"#.utf8))
        #expect(file.apiBase == "http://h/client/v4" && file.snapshotInterval == 0.5 && file.spoolLimit == 9 && file.netns == "vc1")
        #expect(file.caFile == "/etc/lab-ca.pem")
        #expect(throws: ConfigurationError.self) { try AgentConfigurationFile.parse(Data(#"{"snapshot_intervall":1}"#.utf8)) }
        #expect(throws: ConfigurationError.self) { try AgentConfigurationFile.parse(Data(#"{"spool_limit":"many"}"#.utf8)) }
        #expect(throws: ConfigurationError.self) { try AgentConfigurationFile.parse(Data("[1]".utf8)) }
    }
}

@Suite struct ConfigurationPrecedenceTests {
    @Test func flagsBeatTheEnvironmentWhichBeatsTheFileWhichBeatsDefaults() throws {
        let file = try AgentConfigurationFile.parse(Data(#"{"api_base":"http://file/client/v4","account_id":"fileacc","connector_id":"filecon","api_token":"filetoken","snapshot_interval":5,"spool_limit":7}"#.utf8))
        var flags = AgentConfigurationFile()
        flags.connectorID = "flagcon"
        flags.spoolLimit = 9

        let fromEnvironment = AgentConfiguration.resolve(file: file, flags: flags, environmentToken: "envtoken")
        #expect(fromEnvironment.apiBase == "http://file/client/v4" && fromEnvironment.accountID == "fileacc")
        #expect(fromEnvironment.connectorID == "flagcon" && fromEnvironment.spoolLimit == 9 && fromEnvironment.snapshotInterval == 5)
        #expect(fromEnvironment.apiToken == "envtoken")
        #expect(fromEnvironment.checkinInterval == 10 && fromEnvironment.stateDirectory == AgentConfiguration.defaultStateDirectory)

        #expect(AgentConfiguration.resolve(file: file, flags: flags, environmentToken: "").apiToken == "filetoken", "an empty env var does not count")
        flags.apiToken = "flagtoken"
        #expect(AgentConfiguration.resolve(file: file, flags: flags, environmentToken: "envtoken").apiToken == "flagtoken")
        #expect(AgentConfiguration.resolve(file: AgentConfigurationFile(), flags: AgentConfigurationFile(), environmentToken: nil).apiBase == AgentConfiguration.defaultAPIBase)
    }
}

