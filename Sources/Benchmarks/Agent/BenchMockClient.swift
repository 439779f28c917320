import Agent
import Foundation

/// The in-process mock's API as `bench agent` calls it, like an operator would: JSON in, the envelope's
/// `result` out; anything but a 2xx answer with a result is an error that names the call.
struct BenchMockClient {
    /// The API root, e.g. http://127.0.0.1:PORT/client/v4.
    let base: String
    let account: String
    let token: String
    let http = HTTPClient()

    /// `method` on `path` under /accounts/{account}/magic.
    func call(_ method: String, _ path: String, _ body: Any? = nil) async throws -> Any {
        let answer = try await http.exchange(
            HTTPRequest(
                method: method, url: "\(base)/accounts/\(account)/magic\(path)",
                headers: [("Authorization", "Bearer \(token)")],
                body: try body.map { try JSONSerialization.data(withJSONObject: $0) }, timeout: 30
            ))
        guard (200..<300).contains(answer.status),
            let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
            let result = object["result"]
        else {
            throw BenchmarkFailure(
                "\(method) \(path): HTTP \(answer.status) \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        }
        return result
    }

    /// The `id` of a created object (the mock answers some creations with a one-element list).
    static func id(of result: Any) -> String {
        let object = (result as? [[String: Any]])?.first ?? result as? [String: Any]
        return object?["id"] as? String ?? ""
    }

    func createConnector(_ fields: [String: Any] = [:]) async throws -> String {
        var fields = fields
        fields["device"] = ["id": "bench-\(UUID().uuidString)"]
        let id = Self.id(of: try await call("POST", "/connectors", fields))
        guard !id.isEmpty else { throw BenchmarkFailure("POST /connectors: the answer has no id") }
        return id
    }

    /// Records the mock stored for a connector (snapshots + events).
    func countRecords(connector: String) async throws -> Int {
        var total = 0
        for kind in ["snapshots", "events"] {
            let result = try await call(
                "GET", "/connectors/\(connector)/telemetry/\(kind)?from=0&to=99999999999&limit=1000")
            total += (result as? [String: Any])?["count"] as? Int ?? 0
        }
        return total
    }
}
