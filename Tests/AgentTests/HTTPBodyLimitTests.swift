import Foundation
import TestSupport
import Testing

@testable import Agent

/// Answers are bounded: a Content-Length (or chunk size) over the limit is refused before any body is read, and a
/// body without end (chunked or close-delimited) is cut at the limit, on the own HTTP/1.1 path and through libcurl.
@Suite("The agent's HTTP client bounds answer bodies", .timeLimit(.minutes(1)))
struct HTTPBodyLimitTests {
    static let kilobyte = String(repeating: "x", count: 1024)
    /// One 64 KiB chunk of a chunked body.
    static let chunk = "10000\r\n" + String(repeating: kilobyte, count: 64) + "\r\n"

    @Test("a huge Content-Length is refused at once, without reading (or waiting for) the body")
    func hugeContentLength() async throws {
        let server = try ScriptedHTTPServer { _, _ in .send("HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n") }
        defer { server.stop() }
        let started = ContinuousClock.now
        do {
            _ = try await HTTPClient().exchange(HTTPRequest(method: "GET", url: server.url + "/", timeout: 30))
            Issue.record("a 10 GB answer was accepted")
        } catch let failure as HTTPFailure {
            #expect(
                failure.description
                    == "answer body of 10000000000 bytes exceeds the \(HTTPClient.defaultAnswerLimit)-byte limit")
        }
        #expect(ContinuousClock.now - started < .seconds(10), "refused before the 30 s timeout: nothing was waited for")
        #expect(HTTPClient.defaultAnswerLimit == 8 << 20)
    }

    @Test("an endless chunked body, an oversized chunk and an endless close-delimited body are cut at the limit")
    func endlessBodies() async throws {
        let server = try ScriptedHTTPServer { request, _ in
            if request.contains("/chunked") {
                return .endless(head: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", piece: Self.chunk)
            }
            if request.contains("/bigchunk") {
                return .send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFF\r\n")
            }
            if request.contains("/fits") {
                return .send(
                    "HTTP/1.1 200 OK\r\nContent-Length: \(1 << 20)\r\n\r\n"
                        + String(repeating: Self.kilobyte, count: 1024))
            }
            return .endless(head: "HTTP/1.0 200 OK\r\n\r\n", piece: String(repeating: Self.kilobyte, count: 64))
        }
        defer { server.stop() }
        let client = HTTPClient(answerLimit: 1 << 20)
        for path in ["/chunked", "/bigchunk", "/close-delimited"] {
            let started = ContinuousClock.now
            await #expect(throws: HTTPFailure.self, "\(path)") {
                do {
                    _ = try await client.exchange(HTTPRequest(method: "GET", url: server.url + path, timeout: 30))
                } catch let failure as HTTPFailure {
                    #expect(
                        failure.code == .tooLarge && failure.description.contains("exceeds the 1048576-byte limit"),
                        "\(path): \(failure)")
                    throw failure
                }
            }
            #expect(ContinuousClock.now - started < .seconds(10), "\(path) was cut, not read until the timeout")
        }
        let fits = try await client.exchange(HTTPRequest(method: "GET", url: server.url + "/fits", timeout: 30))
        #expect(fits.body.count == 1 << 20, "a body of exactly the limit is accepted")
    }

    @Test("through libcurl too: an endless body is cut at the limit, in memory and in a download (which is removed)")
    func curlPath() async throws {
        let server = try ScriptedHTTPServer { request, _ in
            request.contains("/chunked")
                ? .endless(head: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", piece: Self.chunk)
                : .endless(
                    head: "HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n",
                    piece: String(repeating: Self.kilobyte, count: 64))
        }
        defer { server.stop() }
        let client = HTTPClient(alwaysCurl: true, answerLimit: 1 << 20)
        for path in ["/chunked", "/length"] {
            await #expect(throws: HTTPFailure.self, "\(path)") {
                do {
                    _ = try await client.exchange(HTTPRequest(method: "GET", url: server.url + path, timeout: 30))
                } catch let failure as HTTPFailure {
                    #expect(
                        failure.code == .tooLarge && failure.description.contains("exceeds the 1048576-byte limit"),
                        "\(path): \(failure)")
                    if path == "/length" {
                        #expect(
                            failure.description.hasPrefix("answer body of 10000000000 bytes"),
                            "refused on its Content-Length: \(failure)")
                    }
                    throw failure
                }
            }
        }
        let file = TestScratch.path("curl-download")
        for curl in [true, false] {
            do {
                _ = try await HTTPClient(alwaysCurl: curl).download(
                    HTTPRequest(method: "GET", url: server.url + "/chunked", timeout: 30), to: file, limit: 300_000)
                Issue.record("an endless download was accepted (curl: \(curl))")
            } catch let failure as HTTPFailure {
                #expect(
                    failure.code == .tooLarge && failure.description.contains("exceeds the 300000-byte limit"),
                    "curl: \(curl): \(failure)")
            }
            #expect(!FileManager.default.fileExists(atPath: file), "the cut download was removed")
        }
    }
}
