import Foundation
import Logging
import Testing

@testable import Agent

/// The transmitter against a scripted API: what it sends, in which order and batches, and what it keeps.
@Suite("Transmitter: ordered batches, rejected records dropped one by one, failures keep the spool")
struct TransmitterTests {
    /// An answer of the v4 API with `status`; `success` in the envelope.
    static func answer(_ status: Int, success: Bool) -> ScriptedHTTPServer.Reply {
        let body =
            success
            ? #"{"success":true,"errors":[],"messages":[],"result":null}"#
            : #"{"success":false,"errors":[{"code":1004,"message":"invalid record"}],"messages":[],"result":null}"#
        return .send(
            "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        )
    }

    /// A spool holding `records` (kind, marker) in that order, and a transmitter to `server`.
    static func transmitter(_ server: ScriptedHTTPServer, records: [(RecordKind, String)], batchSize: Int = 100)
        throws -> (Transmitter, Spool, StatisticsBox)
    {
        let spool = try Spool(directory: temporaryStateDirectory(), limit: 1000)
        for (index, (kind, marker)) in records.enumerated() {
            _ = try spool.append(kind, now: 1_700_000_000 + Double(index)) { stamp in
                Data(#"{"t":\#(stamp.t),"marker":"\#(marker)"}"#.utf8)
            }
        }
        let client = APIClient(
            base: try #require(URL(string: server.url + "/client/v4")), accountID: "acc", connectorID: "con",
            token: "t",
            requestTimeout: 5)
        let statistics = StatisticsBox()
        var logger = Logger(label: "test.transmitter")
        logger.logLevel = .critical
        let transmitter = Transmitter(
            spool: spool, client: client, statistics: statistics, batchSize: batchSize, logger: logger)
        return (transmitter, spool, statistics)
    }

    /// The markers of each request's body, with its endpoint's last path component.
    static func sent(_ server: ScriptedHTTPServer) -> [String] {
        server.requests.map { request in
            let path = request.split(separator: " ")[1].split(separator: "/").last ?? ""
            let markers = request.split(separator: "\"marker\":\"").dropFirst().map { $0.prefix { $0 != "\"" } }
            return "\(path):\(markers.joined(separator: ","))"
        }
    }

    @Test("runs of one kind go as one batch each, in recorded order, at most batchSize; all acknowledged: drained")
    func orderedBatches() async throws {
        let server = try ScriptedHTTPServer { _, _ in Self.answer(200, success: true) }
        defer { server.stop() }
        let records: [(RecordKind, String)] = [
            (.snapshot, "s1"), (.snapshot, "s2"), (.snapshot, "s3"), (.event, "e1"), (.event, "e2"), (.snapshot, "s4"),
        ]
        let (transmitter, spool, statistics) = try Self.transmitter(server, records: records, batchSize: 2)
        #expect(await transmitter.drain() == .drained)
        #expect(Self.sent(server) == ["snapshots:s1,s2", "snapshots:s3", "events:e1,e2", "snapshots:s4"])
        #expect(try spool.count() == 0)
        #expect(statistics.value.delivered == 6 && statistics.value.rejected == 0)
        #expect(
            server.requests.allSatisfy { $0.contains("POST /client/v4/accounts/acc/magic/connectors/con/telemetry/") })
    }

    @Test("a refused batch is re-sent record by record: only the refused record is dropped, the rest delivered")
    func rejectedRecord() async throws {
        let server = try ScriptedHTTPServer { request, _ in
            request.contains("bad") ? Self.answer(422, success: false) : Self.answer(200, success: true)
        }
        defer { server.stop() }
        let (transmitter, spool, statistics) = try Self.transmitter(
            server, records: [(.event, "e1"), (.event, "bad"), (.event, "e3")])
        #expect(await transmitter.drain() == .drained)
        #expect(Self.sent(server) == ["events:e1,bad,e3", "events:e1", "events:bad", "events:e3"])
        #expect(try spool.count() == 0)
        let value = statistics.value
        #expect(value.delivered == 2 && value.rejected == 1 && value.counters.transmitFailures == 1)
    }

    @Test("a failure worth retrying (5xx, a 2xx without success) stops the drain and keeps every record")
    func retryKeepsRecords() async throws {
        for reply in [Self.answer(503, success: false), Self.answer(200, success: false)] {
            let server = try ScriptedHTTPServer { _, _ in reply }
            defer { server.stop() }
            let (transmitter, spool, statistics) = try Self.transmitter(
                server, records: [(.snapshot, "s1"), (.snapshot, "s2")])
            guard case .failed = await transmitter.drain() else {
                Issue.record("the drain did not fail")
                continue
            }
            #expect(try spool.count() == 2 && spool.oldest(10).count == 2)
            #expect(statistics.value.delivered == 0 && statistics.value.counters.transmitFailures == 1)
            #expect(server.requests.count == 1)
        }
    }
}
