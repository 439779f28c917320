import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP response, with the body parsed as JSON when it is JSON.
struct TestResponse: @unchecked Sendable {
    let status: Int
    let headers: [String: String]
    let data: Data

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }
    var success: Bool? { json["success"] as? Bool }
    var result: Any? { json["result"] }
    var object: [String: Any] { result as? [String: Any] ?? [:] }
    var array: [[String: Any]] { result as? [[String: Any]] ?? [] }
    var errors: [[String: Any]] { json["errors"] as? [[String: Any]] ?? [] }
    var errorCode: Int? { errors.first?["code"] as? Int }
    var errorMessage: String { errors.first?["message"] as? String ?? "" }
    var text: String { String(decoding: data, as: UTF8.self) }

    /// The documented failure envelope: success false, one error with code and message, result null.
    var isFailureEnvelope: Bool {
        success == false && errorCode != nil && !errorMessage.isEmpty && json.keys.contains("result") && json["result"] is NSNull
    }
}

/// A small URLSession client for the mock's API, authenticating with a bearer token by default.
struct TestClient: Sendable {
    let base: String
    var token: String?
    var extraHeaders: [String: String] = [:]

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        return URLSession(configuration: configuration)
    }()

    func send(_ method: String, _ path: String, json: Any? = nil, raw: String? = nil) async throws -> TestResponse {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in extraHeaders { request.setValue(value, forHTTPHeaderField: name) }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let raw {
            request.httpBody = Data(raw.utf8)
            if extraHeaders["Content-Type"] == nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        }
        let (data, response) = try await Self.session.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers[String(describing: key).lowercased()] = String(describing: value) }
        return TestResponse(status: http.statusCode, headers: headers, data: data)
    }

    func get(_ path: String) async throws -> TestResponse { try await send("GET", path) }
    func post(_ path: String, _ json: Any) async throws -> TestResponse { try await send("POST", path, json: json) }
    func put(_ path: String, _ json: Any) async throws -> TestResponse { try await send("PUT", path, json: json) }
    func patch(_ path: String, _ json: Any) async throws -> TestResponse { try await send("PATCH", path, json: json) }
    func delete(_ path: String) async throws -> TestResponse { try await send("DELETE", path) }
}

/// Paths under the test account.
enum Paths {
    static let account = "/accounts/\(TestServer.account)/magic"
    static let connectors = "\(account)/connectors"
    static let sites = "\(account)/sites"
    static let apps = "\(account)/apps"
    static func connector(_ id: String) -> String { "\(connectors)/\(id)" }
    static func site(_ id: String) -> String { "\(sites)/\(id)" }
    static func telemetry(_ connector: String) -> String { "\(connectors)/\(connector)/telemetry" }
}
