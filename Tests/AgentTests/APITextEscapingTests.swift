@testable import Agent
import Foundation
import Testing

/// Text from the API or the network reaches log lines only escaped: a newline in it cannot start a fake line.
@Suite struct APITextEscapingTests {
    @Test("an error message with a newline and an escape character is escaped in the outcome the transmitter logs")
    func apiErrorMessage() async throws {
        let envelope = #"{"success":false,"errors":[{"code":1,"message":"bad\nINFO agent: all good \u001b[2J"}],"messages":[],"result":null}"#
        let server = try ScriptedHTTPServer { _, _ in
            .send("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: \(envelope.utf8.count)\r\n\r\n\(envelope)")
        }
        defer { server.stop() }
        let client = APIClient(base: try #require(URL(string: server.url + "/client/v4")), accountID: "acc", connectorID: "c1", token: "t", requestTimeout: 5)
        let outcome = await client.post(.event, bodies: [Data("{}".utf8)])
        #expect(outcome == .rejected(status: 400, message: "1 bad\\u{a}INFO agent: all good \\u{1b}[2J"))
    }

    @Test("a malformed answer head is quoted escaped in the error")
    func malformedHead() async throws {
        let server = try ScriptedHTTPServer { _, _ in .sendAndClose("HTTP/1.1 200 OK\r\nno colon\nINFO fake line\r\n\r\n") }
        defer { server.stop() }
        do {
            _ = try await HTTPClient().exchange(HTTPRequest(method: "GET", url: server.url + "/", timeout: 5))
            Issue.record("a malformed head was accepted")
        } catch let failure as HTTPFailure {
            #expect(failure.description == "malformed header line: no colon\\u{a}INFO fake line")
        }
    }
}
