import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The device side of packet captures (a mock-api addition): which simple captures a connector with a site may
/// take on, claiming (first come; 409 for the others), the upload of a real pcap file that download then serves,
/// a failure report, and what is refused: another connector's capture, files that are not pcap, other content
/// types, another account.
@Suite("Packet captures, device side")
struct PCAPCaptureTests {
    static let pcaps = "/accounts/\(TestServer.account)/pcaps"
    static var simple: [String: Any] { [
        "system": "magic-transit", "type": "simple", "time_limit": 30, "packet_limit": 10,
        "filter_v1": ["destination_address": "192.0.2.1", "destination_port": 5001, "protocol": 17],
    ] }

    /// A pcap file of `packets` records of 60 bytes each (little-endian, Ethernet).
    static func pcap(packets: Int) -> Data {
        var data = Data([0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 1, 0, 0, 0])
        for index in 0..<packets {
            data.append(contentsOf: [UInt8(index), 0, 0, 0, 0, 0, 0, 0, 60, 0, 0, 0, 60, 0, 0, 0])
            data.append(Data(repeating: UInt8(index), count: 60))
        }
        return data
    }

    /// Two connectors of the test account with a site each, and one without.
    private func connectors(_ client: TestClient) async throws -> (String, String, String) {
        let (a, b, c) = try await client.threeConnectors()
        _ = try await client.createSite(["connector_id": a])
        _ = try await client.createSite(["connector_id": b])
        return (a, b, c)
    }

    @Test("a simple capture is offered to connectors with a site; the first claim wins; the file uploaded is what download serves")
    func claimUploadDownload() async throws {
        try await withServer { server in
            let client = server.client
            let (a, b, c) = try await connectors(client)
            let created = try await client.post(Self.pcaps, Self.simple)
            let id = try #require(created.object["id"] as? String, "\(created.text)")

            let offered = try await client.get("\(Paths.connector(a))/pcaps")
            #expect(offered.array.map { $0["id"] as? String } == [id], "\(offered.text)")
            #expect(offered.array.first?["packet_limit"] as? Int == 10 && offered.array.first?["time_limit"] as? Double == 30)
            #expect((offered.array.first?["filter_v1"] as? [String: Any])?["destination_port"] as? Int == 5001)
            #expect(try await client.get("\(Paths.connector(c))/pcaps").array.isEmpty, "a connector without a site has nothing to capture on")
            expectFailure(try await client.post("\(Paths.connector(c))/pcaps/\(id)/claim", [String: Any]()), status: 409, code: Code.conflict, mentions: "no site")

            let claimed = try await client.post("\(Paths.connector(a))/pcaps/\(id)/claim", [String: Any]())
            #expect(claimed.status == 200 && claimed.object["id"] as? String == id, "\(claimed.text)")
            expectFailure(try await client.post("\(Paths.connector(b))/pcaps/\(id)/claim", [String: Any]()), status: 409, code: Code.conflict, mentions: a)
            #expect(try await client.get("\(Paths.connector(b))/pcaps").array.isEmpty, "a claimed capture is offered to no one")
            #expect(try await client.get("\(Self.pcaps)/\(id)").object["status"] as? String == "running")
            expectFailure(try await client.get("\(Self.pcaps)/\(id)/download"), status: 409, code: Code.conflict, mentions: "running")

            let file = Self.pcap(packets: 3)
            expectFailure(try await upload(client, "\(Paths.connector(b))/pcaps/\(id)/file", file), status: 409, code: Code.conflict, mentions: "not taken on")
            let uploaded = try await upload(client, "\(Paths.connector(a))/pcaps/\(id)/file", file)
            #expect(uploaded.status == 200 && uploaded.object["status"] as? String == "success", "\(uploaded.text)")
            #expect(uploaded.object["mock_claimed_by"] == nil && uploaded.object["packets_captured"] == nil, "served as documented for a simple capture")
            let downloaded = try await client.get("\(Self.pcaps)/\(id)/download")
            #expect(downloaded.status == 200 && downloaded.data == file)
            expectFailure(try await upload(client, "\(Paths.connector(a))/pcaps/\(id)/file", file), status: 409, code: Code.conflict, mentions: "success")
            expectFailure(try await server.otherClient.get("/accounts/\(TestServer.otherAccount)/pcaps/\(id)/download"), status: 404, code: Code.notFound)
        }
    }

    @Test("what is not a whole pcap file is 422, another content type 415, a failure report makes it failed")
    func refusedFilesAndFailure() async throws {
        try await withServer { server in
            let client = server.client
            let (a, _, _) = try await connectors(client)
            let id = try #require(try await client.post(Self.pcaps, Self.simple).object["id"] as? String)
            _ = try await client.post("\(Paths.connector(a))/pcaps/\(id)/claim", [String: Any]())
            let path = "\(Paths.connector(a))/pcaps/\(id)/file"
            for bad in [Data("$(reboot)\n".utf8), Data(), Self.pcap(packets: 2).dropLast(5), Self.pcap(packets: 0).prefix(10)] {
                expectFailure(try await upload(client, path, Data(bad)), status: 422, code: Code.invalidValue, mentions: "libpcap")
            }
            expectFailure(try await upload(client, path, Self.pcap(packets: 1), contentType: "text/plain"), status: 415, code: 1015)
            expectFailure(try await client.post("\(Paths.connector(a))/pcaps/\(id)/failure", ["error_message": "line\nbreak"]), status: 422, code: Code.invalidValue)
            let failed = try await client.post("\(Paths.connector(a))/pcaps/\(id)/failure", ["error_message": "tcpdump: port1: No such device exists"])
            #expect(failed.status == 200 && failed.object["status"] as? String == "failed", "\(failed.text)")
            #expect(try await client.get("\(Self.pcaps)/\(id)").object["status"] as? String == "failed")
            expectFailure(try await upload(client, path, Self.pcap(packets: 1)), status: 409, code: Code.conflict, mentions: "failed")
        }
    }

    private func upload(_ client: TestClient, _ path: String, _ data: Data, contentType: String = "application/vnd.tcpdump.pcap") async throws -> TestResponse {
        var request = URLRequest(url: URL(string: client.base + path)!)
        request.httpMethod = "PUT"
        request.setValue("Bearer \(client.token ?? "")", forHTTPHeaderField: "Authorization")
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.httpBody = data
        let (body, response) = try await TestClient.session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return TestResponse(status: http.statusCode, headers: [:], data: body)
    }
}
