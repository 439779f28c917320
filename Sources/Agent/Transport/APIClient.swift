import ConnectorAPI
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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
}

/// The Cloudflare v4 API as the device uses it, over URLSession. Holds the token; never logs or prints it.
public struct APIClient: Sendable {
    public let base: URL
    public let accountID: String
    public let connectorID: String
    let token: String
    let session: URLSession

    public init(base: URL, accountID: String, connectorID: String, token: String, requestTimeout: Double = 15) {
        self.base = base
        self.accountID = accountID
        self.connectorID = connectorID
        self.token = token
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = requestTimeout
        configuration.timeoutIntervalForResource = requestTimeout * 2
        configuration.httpMaximumConnectionsPerHost = 2
        session = URLSession(configuration: configuration)
    }

    var accountPath: String { "/accounts/\(accountID)/magic" }
    var connectorPath: String { "\(accountPath)/connectors/\(connectorID)" }

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
        let message = envelope?.errors.map { "\($0.code) \($0.message)" }.joined(separator: "; ") ?? String(decoding: data.prefix(200), as: UTF8.self)
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
            throw APIClientError(description: "GET \(path): HTTP \(status), undecodable response: \(error)")
        }
        guard (200..<300).contains(status), envelope.success, let result = envelope.result else {
            let reasons = envelope.errors.map { "\($0.code) \($0.message)" }.joined(separator: "; ")
            throw APIClientError(description: "GET \(path): HTTP \(status) \(reasons)")
        }
        return result
    }

    func send(_ method: String, _ path: String, body: Data?) async throws -> (Data, Int) {
        var request = URLRequest(url: URL(string: base.absoluteString + path)!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("vconnector/\(VConnectorVersion.current)", forHTTPHeaderField: "User-Agent")
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await data(for: request)
        guard let http = response as? HTTPURLResponse else { throw APIClientError(description: "\(method) \(path): not an HTTP response") }
        return (data, http.statusCode)
    }

    /// URLSession's completion-handler API behind a continuation. Not `session.data(for:)`: on Linux its
    /// cancellation calls `URLSessionTask.cancel()` (a dispatch sync) while holding the Swift task's status lock,
    /// and deadlocks against a completion that resumes the same task (seen here under a task group's cancelAll).
    /// Nor `URLSessionTask.cancel()` from elsewhere: when it races the task's own completion, FoundationNetworking
    /// traps ("a task that is not in the registry"). A cancelled request is abandoned instead: the caller gets
    /// `CancellationError` at once and the URLSession task ends by itself (answer or request timeout).
    func data(for request: URLRequest) async throws -> (Data, URLResponse) {
        let pending = PendingRequest()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard pending.wait(continuation) else { return }
                session.dataTask(with: request) { data, response, error in
                    if let error {
                        pending.finish(.failure(error))
                    } else if let response {
                        pending.finish(.success((data ?? Data(), response)))
                    } else {
                        pending.finish(.failure(APIClientError(description: "no response")))
                    }
                }.resume()
            }
        } onCancel: {
            pending.finish(.failure(CancellationError()))
        }
    }
}

/// The continuation of one request: resumed exactly once, by the answer or by cancellation, whichever is first.
private final class PendingRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<(Data, URLResponse), any Error>?
    private var cancelled = false

    /// Keeps `continuation` for the answer; false (and the continuation resumed) if cancellation came first.
    func wait(_ continuation: CheckedContinuation<(Data, URLResponse), any Error>) -> Bool {
        let alreadyCancelled = lock.withLock {
            if !cancelled { self.continuation = continuation }
            return cancelled
        }
        if alreadyCancelled { continuation.resume(throwing: CancellationError()) }
        return !alreadyCancelled
    }

    func finish(_ result: Result<(Data, URLResponse), any Error>) {
        let continuation = lock.withLock {
            if case .failure(let error) = result, error is CancellationError { cancelled = true }
            defer { self.continuation = nil }
            return self.continuation
        }
        continuation?.resume(with: result)
    }
}

/// Any `result`: the transmitter needs only `success` and `errors`.
struct IgnoredResult: Codable, Sendable {
    init(from decoder: any Decoder) throws {}
    func encode(to encoder: any Encoder) throws {}
}
