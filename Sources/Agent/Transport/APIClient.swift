import ConnectorAPI
import Foundation

/// How the API answered a telemetry post.
public enum SendOutcome: Sendable, Equatable {
    /// 2xx with an envelope whose `success` is true: the records are stored.
    case acknowledged
    /// Worth retrying unchanged: no connection, timeout, 5xx, 401/403/404/408/429, or a 2xx without success.
    case retry(String)
    /// The API refused these records as invalid (400, 413, 422): retrying them unchanged cannot succeed.
    case rejected(status: Int, message: String)
}

/// Errors of the API's read side (check-in), with the reason.
public struct APIClientError: Error, CustomStringConvertible {
    public var description: String
    /// The HTTP status of the answer, nil when none arrived.
    public var status: Int? = nil
}

/// The Cloudflare v4 API as the device uses it, over `HTTPClient`. Holds the token; never logs or prints it.
public struct APIClient: Sendable {
    public let base: URL
    public let accountID: String
    public let connectorID: String
    let token: String
    let requestTimeout: Double
    /// Shared by copies of this client, so they share its kept-alive connections.
    let http: HTTPClient

    public init(base: URL, accountID: String, connectorID: String, token: String, requestTimeout: Double = 15, http: HTTPClient = HTTPClient()) {
        self.base = base
        self.accountID = accountID
        self.connectorID = connectorID
        self.token = token
        self.requestTimeout = requestTimeout
        self.http = http
    }

    package var accountPath: String { "/accounts/\(accountID)/magic" }
    package var connectorPath: String { "\(accountPath)/connectors/\(connectorID)" }

    /// Posts already-encoded records of one kind as a JSON array.
    public func post(_ kind: RecordKind, bodies: [Data]) async -> SendOutcome {
        var body = Data("[".utf8)
        for (index, record) in bodies.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(record)
        }
        body.append(UInt8(ascii: "]"))
        let path = connectorPath + (kind == .snapshot ? "/telemetry/snapshots" : "/telemetry/events")
        let data: Data
        let status: Int
        do {
            (data, status) = try await send("POST", path, body: body)
        } catch {
            return .retry("\(error)")
        }
        let envelope = try? JSONDecoder().decode(Envelope<IgnoredResult>.self, from: data)
        let message = envelope?.errors.map { "\($0.code) \(TextRules.printable($0.message))" }.joined(separator: "; ") ?? TextRules.printable(String(decoding: data.prefix(200), as: UTF8.self))
        switch status {
        case 200..<300:
            return envelope?.success == true ? .acknowledged : .retry("HTTP \(status) without success: \(message)")
        case 400, 413, 422:
            return .rejected(status: status, message: message)
        default:
            return .retry("HTTP \(status): \(message)")
        }
    }

    /// GET of a documented resource, decoded from the envelope's `result`.
    public func get<Result: Codable & Sendable>(_ type: Result.Type, _ path: String) async throws -> Result {
        let (data, status) = try await send("GET", path, body: nil)
        let envelope: Envelope<Result>
        do {
            envelope = try JSONDecoder().decode(Envelope<Result>.self, from: data)
        } catch {
            throw APIClientError(description: "GET \(path): HTTP \(status), undecodable response: \(TextRules.printable("\(error)", limit: 400))", status: status)
        }
        guard (200..<300).contains(status), envelope.success, let result = envelope.result else {
            let reasons = envelope.errors.map { "\($0.code) \(TextRules.printable($0.message))" }.joined(separator: "; ")
            throw APIClientError(description: "GET \(path): HTTP \(status) \(reasons)", status: status)
        }
        return result
    }

    /// `contentType`: for a body that is not JSON (a pcap file); a JSON body goes without one, as it always has.
    func send(_ method: String, _ path: String, body: Data?, contentType: String? = nil) async throws -> (Data, Int) {
        let request = HTTPRequest(
            method: method, url: base.absoluteString + path,
            headers: [("Authorization", "Bearer \(token)"), ("User-Agent", "vconnector/\(VConnectorVersion.current)")]
                + (contentType.map { [("Content-Type", $0)] } ?? []),
            body: body, timeout: requestTimeout
        )
        let answer = try await http.exchange(request)
        return (answer.body, answer.status)
    }
}

/// Any `result`: the transmitter needs only `success` and `errors`.
struct IgnoredResult: Codable, Sendable {
    init(from decoder: any Decoder) throws {}
    func encode(to encoder: any Encoder) throws {}
}
