import Foundation

/// One HTTP exchange through curl, redirects not followed: for the dashboard's cookies and redirects, and for
/// /metrics without credentials.
struct CurlResponse {
    let status: Int
    let headers: [String: String]
    let body: String
}

func curl(_ url: String, method: String = "GET", headers: [String: String] = [:], form: String? = nil) async throws -> CurlResponse {
    var arguments = ["curl", "-s", "-i", "--max-time", "30", "-X", method]
    for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
    if let form { arguments += ["--data-raw", form] }
    arguments.append(url)
    let (status, output) = try await runProcess(arguments)
    guard status == 0 else { throw CurlFailure(description: "curl exit \(status): \(output)") }
    // Header block ends at the first empty line.
    let parts = output.components(separatedBy: "\r\n\r\n")
    let head = parts.first ?? ""
    let body = parts.dropFirst().joined(separator: "\r\n\r\n")
    let lines = head.components(separatedBy: "\r\n")
    let code = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
    var fields: [String: String] = [:]
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return CurlResponse(status: code, headers: fields, body: body)
}

struct CurlFailure: Error, CustomStringConvertible {
    let description: String
}
