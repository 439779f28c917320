import Foundation
import Testing

@testable import Agent

@Suite("The agent's HTTP client: parsing, keep-alive, framing, timeouts, cancellation, the libcurl path")
struct HTTPClientTests {
    @Test("URLs split into scheme, host, port, path; bad ones are refused with the reason")
    func targets() throws {
        let plain = try HTTPTarget("http://127.0.0.1:8787/client/v4/accounts?x=1#frag")
        #expect(!plain.secure && plain.host == "127.0.0.1" && plain.port == 8787)
        #expect(plain.path == "/client/v4/accounts?x=1" && plain.hostHeader == "127.0.0.1:8787")
        let secure = try HTTPTarget("HTTPS://api.cloudflare.com")
        #expect(secure.secure && secure.port == 443 && secure.path == "/" && secure.host == "api.cloudflare.com")
        let v6 = try HTTPTarget("http://[::1]:9/a")
        #expect(v6.host == "::1" && v6.port == 9 && v6.hostHeader == "[::1]:9")
        #expect(try HTTPTarget("http://h?q").path == "/?q")
        for bad in ["ftp://h/", "http://", "http://h:0/", "http://h:99999/", "http://user@h/", "http://[::1/"] {
            #expect("\(bad)") { try HTTPTarget(bad) } throws: { ($0 as? HTTPFailure)?.code == .invalidURL }
        }
    }

    @Test("answer heads: status, headers, framing and keep-alive")
    func heads() throws {
        func head(_ text: String, method: String = "GET") throws -> HTTPResponseHead {
            try HTTPResponseHead(parsing: Array(text.utf8), method: method)
        }
        let length = try head("HTTP/1.1 201 Created\r\nContent-Length: 12\r\nX-A:  b \r\n")
        #expect(
            length.status == 201 && length.framing == .length(12) && length.keepAlive && length.header("x-a") == "b")
        #expect(try head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5").framing == .chunked)
        let closing = try head("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1")
        #expect(!closing.keepAlive)
        let old = try head("HTTP/1.0 200 OK")
        #expect(old.framing == .untilClose && !old.keepAlive)
        #expect(try head("HTTP/1.1 204 No Content\r\nContent-Length: 9").framing == .none)
        #expect(try head("HTTP/1.1 200 OK\r\nContent-Length: 9", method: "HEAD").framing == .none)
        for bad in [
            "", "SSH-2.0 hello", "HTTP/1.1 abc OK", "HTTP/1.1 200 OK\r\nno colon here",
            "HTTP/1.1 200 OK\r\nContent-Length: -1",
        ] {
            #expect("\(bad)") { try head(bad) } throws: { ($0 as? HTTPFailure)?.code == .malformedAnswer }
        }
        #expect(try chunkSize(Array("1aF;name=x".utf8)) == 0x1af)
        #expect(throws: HTTPFailure.self) { try chunkSize(Array("zz".utf8)) }
    }

    @Test("keep-alive: three requests share one connection; a chunked body is reassembled; the request is well formed")
    func keepAliveAndChunked() async throws {
        let server = try ScriptedHTTPServer { _, index in
            index == 1
                ? .send(
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;x=y\r\n, world\r\n0\r\nTrailer: t\r\n\r\n"
                )
                : .send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        }
        defer { server.stop() }
        let client = HTTPClient()
        let first = try await client.exchange(
            HTTPRequest(
                method: "POST", url: server.url + "/p?q=1", headers: [("Authorization", "Bearer t")],
                body: Data("[1]".utf8), timeout: 5))
        let second = try await client.exchange(HTTPRequest(method: "GET", url: server.url + "/g", timeout: 5))
        let third = try await client.exchange(HTTPRequest(method: "GET", url: server.url + "/g", timeout: 5))
        #expect(first.status == 200 && String(decoding: first.body, as: UTF8.self) == "ok")
        #expect(String(decoding: second.body, as: UTF8.self) == "hello, world")
        #expect(String(decoding: third.body, as: UTF8.self) == "ok")
        #expect(server.connections == 1)
        let request = server.requests[0]
        #expect(request.hasPrefix("POST /p?q=1 HTTP/1.1\r\n"))
        #expect(request.contains("\r\nHost: 127.0.0.1:\(server.port)\r\n"))
        #expect(request.contains("\r\nAuthorization: Bearer t\r\n"))
        #expect(request.contains("\r\nContent-Length: 3\r\n"))
        #expect(request.hasSuffix("\r\n\r\n[1]"))
    }

    @Test("a kept connection the server closed is replaced once, transparently; Connection: close is honored")
    func closedIdleConnection() async throws {
        let server = try ScriptedHTTPServer { _, index in
            switch index {
            case 0: .send("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na")
            case 1: .close  // as if the server dropped the idle connection just as the request went out
            case 2: .sendAndClose("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nb")
            default: .send("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nc")
            }
        }
        defer { server.stop() }
        let client = HTTPClient()
        let bodies = try await [0, 1, 2].asyncMap { _ in
            String(
                decoding: try await client.exchange(HTTPRequest(method: "GET", url: server.url + "/", timeout: 5)).body,
                as: UTF8.self)
        }
        #expect(bodies == ["a", "b", "c"])
        #expect(server.connections == 3)
    }

    @Test("an answer cut short is an error, not a short body; a server that never answers times out")
    func failures() async throws {
        let server = try ScriptedHTTPServer { request, _ in
            request.contains("/short") ? .sendAndClose("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc") : .silence
        }
        defer { server.stop() }
        let client = HTTPClient()
        await #expect {
            try await client.exchange(HTTPRequest(method: "GET", url: server.url + "/short", timeout: 5))
        } throws: {
            ($0 as? HTTPFailure)?.code == .connectionClosed
        }
        let started = Date()
        await #expect {
            try await client.exchange(HTTPRequest(method: "GET", url: server.url + "/silent", timeout: 0.3))
        } throws: {
            ($0 as? HTTPFailure)?.code == .timedOut
        }
        #expect(Date().timeIntervalSince(started) < 10)  // the 0.3 s timeout, not a hang (loose: shared cores)
        // Nothing listens on this port (the server's own, once stopped).
        let closed = try ScriptedHTTPServer { _, _ in .close }
        closed.stop()
        await #expect {
            try await client.exchange(HTTPRequest(method: "GET", url: closed.url + "/", timeout: 2))
        } throws: {
            ($0 as? HTTPFailure)?.code == .cannotConnect
        }
    }

    @Test("cancelling the awaiting task ends a hanging exchange long before its timeout")
    func cancellation() async throws {
        let server = try ScriptedHTTPServer { _, _ in .silence }
        defer { server.stop() }
        let client = HTTPClient()
        let task = Task { try await client.exchange(HTTPRequest(method: "GET", url: server.url + "/", timeout: 30)) }
        try await Task.sleep(for: .milliseconds(200))
        let started = Date()
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        // Well before the 30 s request timeout (the bound is loose: the whole suite shares two cores).
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("downloads go to a 0600 file; a failed one leaves no file")
    func downloads() async throws {
        let payload = String(repeating: "0123456789", count: 20_000)
        let server = try ScriptedHTTPServer { request, _ in
            request.contains("/bundle")
                ? .send("HTTP/1.1 200 OK\r\nContent-Length: \(payload.utf8.count)\r\n\r\n\(payload)")
                : .sendAndClose("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab")
        }
        defer { server.stop() }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vc-download-\(UUID().uuidString)")
            .path
        defer { unlink(path) }
        let status = try await HTTPClient().download(
            HTTPRequest(method: "GET", url: server.url + "/bundle", timeout: 5), to: path, limit: 1 << 20)
        #expect(status == 200)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == payload)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        await #expect(throws: HTTPFailure.self) {
            try await HTTPClient().download(
                HTTPRequest(method: "GET", url: server.url + "/cut", timeout: 5), to: path, limit: 1 << 20)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("the libcurl path (loaded with dlopen, used for https) sends the same request and reads the answer")
    func curlPath() async throws {
        let server = try ScriptedHTTPServer { _, _ in
            .send("HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
        }
        defer { server.stop() }
        let client = HTTPClient(alwaysCurl: true)
        let answer = try await client.exchange(
            HTTPRequest(
                method: "PUT", url: server.url + "/c", headers: [("Authorization", "Bearer t")], body: Data("{}".utf8),
                timeout: 5))
        #expect(answer.status == 202 && String(decoding: answer.body, as: UTF8.self) == "abc")
        let request = try #require(server.requests.first)
        #expect(
            request.hasPrefix("PUT /c HTTP/1.1\r\n") && request.contains("Authorization: Bearer t\r\n")
                && request.hasSuffix("\r\n\r\n{}"))
        // A failure carries libcurl's reason.
        let closed = try ScriptedHTTPServer { _, _ in .close }
        closed.stop()
        await #expect(throws: HTTPFailure.self) {
            try await client.exchange(HTTPRequest(method: "GET", url: closed.url + "/", timeout: 2))
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

@Suite(
    "The agent's https: libcurl over TLS against a local server with a self-signed certificate", .serialized,
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"),
        "needs /usr/bin/openssl to make a certificate"))
struct HTTPSClientTests {
    @Test("an untrusted certificate is refused with libcurl's reason: TLS is spoken, nothing goes in the clear")
    func untrustedCertificate() async throws {
        let server = try TLSServer()
        defer { server.stop() }
        do {
            _ = try await HTTPClient().exchange(
                HTTPRequest(method: "GET", url: "https://127.0.0.1:\(server.port)/", timeout: 5))
            Issue.record("a self-signed certificate was accepted")
        } catch let failure as HTTPFailure {
            #expect(failure.description.lowercased().contains("certificate"), "\(failure)")
        }
        // The server saw a ClientHello and libcurl gave up on the certificate.
        #expect(server.finish().contains("handshake refused"))
    }

    @Test("with --ca-file naming the certificate, the same server is trusted and answers")
    func trustedByCAFile() async throws {
        let server = try TLSServer()
        defer { server.stop() }
        let answer = try await HTTPClient(caFile: server.certificate).exchange(
            HTTPRequest(
                method: "POST", url: "https://127.0.0.1:\(server.port)/x", headers: [("Authorization", "Bearer t")],
                body: Data("{}".utf8), timeout: 5)
        )
        #expect(answer.status == 200 && String(decoding: answer.body, as: UTF8.self) == "ok")
        let log = server.finish()
        #expect(log.contains("handshake completed") && log.contains("POST /x HTTP/1.1"), "\(log)")
    }
}

/// A one-connection TLS server (Python's ssl) on a free loopback port, with a fresh self-signed certificate for
/// 127.0.0.1. It answers one HTTP request with "ok" and reports on stdout what happened.
final class TLSServer {
    let directory: String
    let port: Int
    private let process = Process()
    private let output = Pipe()

    var certificate: String { "\(directory)/cert.pem" }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vc-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
            "\(directory)/key.pem",
            "-out", "\(directory)/cert.pem", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
            "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw HTTPFailure(.system, "openssl req failed") }
        let script = """
            import socket, ssl
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain("\(directory)/cert.pem", "\(directory)/key.pem")
            listener = socket.socket(); listener.bind(("127.0.0.1", 0)); listener.listen(1)
            print(listener.getsockname()[1], flush=True)
            connection, _ = listener.accept()
            try:
                tls = context.wrap_socket(connection, server_side=True)
                print("handshake completed", flush=True)
                request = b""
                while b"\\r\\n\\r\\n" not in request:
                    chunk = tls.recv(65536)
                    if not chunk: break
                    request += chunk
                print(request.split(b"\\r\\n")[0].decode(), flush=True)
                tls.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nConnection: close\\r\\n\\r\\nok")
                tls.close()
            except ssl.SSLError as error:
                print("handshake refused:", error.reason, flush=True)
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        process.standardOutput = output
        try process.run()
        var line = ""
        while !line.contains("\n"), let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty {
            line += String(decoding: byte, as: UTF8.self)
        }
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw HTTPFailure(.system, "the TLS server did not start: \(line)")
        }
        self.port = port
    }

    /// Waits for the server's one connection to end; what it printed.
    func finish() -> String {
        process.waitUntilExit()
        return String(decoding: (try? output.fileHandleForReading.readToEnd()) ?? Data(), as: UTF8.self)
    }

    func stop() {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
