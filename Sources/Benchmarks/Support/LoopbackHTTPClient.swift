import Agent
import Blocking
import Foundation

/// The load generator's HTTP/1.1 client: one keep-alive loopback connection, blocking, used by one thread.
/// It is the agent's own connection (`PlainHTTPConnection`), so the package has one HTTP/1.1 implementation.
/// Public for tests that need a raw blocking client (the mock-api's connection tests).
public final class LoopbackHTTPClient {
    private let connection: PlainHTTPConnection
    private let hostHeader: String
    /// Never set: a load client is not cancelled, its thread runs to the end of its phase.
    private let cancelled = CancelFlag()
    /// Seconds one request may take before the run fails.
    private let timeout = 60.0

    public init(port: Int) throws {
        connection = try PlainHTTPConnection.connect(
            host: "127.0.0.1", port: UInt16(port), deadline: Deadline(secondsFromNow: timeout), cancelled: cancelled)
        hostHeader = "127.0.0.1:\(port)"
    }

    /// Sends one request and reads its answer; the status and body.
    public func send(_ method: String, _ path: String, token: String, body: [UInt8] = []) throws -> (
        status: Int, body: [UInt8]
    ) {
        var requestHead = "\(method) \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nAuthorization: Bearer \(token)\r\n"
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) {
            requestHead += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        }
        requestHead += "\r\n"
        let deadline = Deadline(secondsFromNow: timeout)
        var request = Data(requestHead.utf8)
        request.append(contentsOf: body)
        try connection.send(request, deadline: deadline, cancelled: cancelled)
        var answer: [UInt8] = []
        var sawBytes = false
        let (head, _) = try connection.readAnswer(
            method: method, limit: HTTPClient.defaultAnswerLimit, deadline: deadline, cancelled: cancelled,
            sawBytes: &sawBytes
        ) { piece in answer.append(contentsOf: piece) }
        return (head.status, answer)
    }
}
