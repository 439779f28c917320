import ConnectorAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MockAPI

/// The device side of packet captures (a mock-api addition): which simple captures a connector with a site may
/// take on, claiming (first come; 409 for the others), the upload of a real pcap file that download then serves,
/// a failure report, and what is refused: another connector's capture, files that are not pcap, other content
/// types, another account.
@Suite("Packet captures, device side")
struct PCAPCaptureTests {
    static let pcaps = "/accounts/\(TestServer.account)/pcaps"
    static let simple = CaptureRequest(
        type: "simple", timeLimit: 30, packetLimit: 10,
        filterV1: PacketCaptureFilter(destinationAddress: "192.0.2.1", destinationPort: 5001, protocol: 17)
    )
    static let claim = [String: String]()

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
    private func connectors(_ api: RouterClient) async throws -> (String, String, String) {
        let (a, b, c) = try await api.threeConnectors()
        _ = try await api.createSite(SiteTests.Body(name: "site-a", connectorId: a))
        _ = try await api.createSite(SiteTests.Body(name: "site-b", connectorId: b))
        return (a, b, c)
    }

    private func capture(_ api: RouterClient) async throws -> String {
        let created = try await api.send(.post, Self.pcaps, body: Self.simple)
        return try #require(try api.decode(CaptureRecord.self, created).result?.id, "\(created.text)")
    }

    @Test(
        "a simple capture is offered to connectors with a site; the first claim wins; the file uploaded is what download serves"
    )
    func claimUploadDownload() async throws {
        try await withRouter { api in
            let (a, b, c) = try await connectors(api)
            let id = try await capture(api)

            let offeredResponse = try await api.send(.get, "\(Paths.connector(a))/pcaps")
            let offered = try api.decode([PacketCaptureAssignment].self, offeredResponse).result
            #expect(offered?.map(\.id) == [id], "\(offeredResponse.text)")
            #expect(offered?.first?.packetLimit == 10 && offered?.first?.timeLimit == 30)
            #expect(offered?.first?.filterV1?.destinationPort == 5001)
            #expect(
                try await api.get([PacketCaptureAssignment].self, "\(Paths.connector(c))/pcaps").result?.isEmpty
                    == true,
                "a connector without a site has nothing to capture on"
            )
            expectFailure(
                try await api.send(.post, "\(Paths.connector(c))/pcaps/\(id)/claim", body: Self.claim),
                status: .conflict, code: Code.conflict,
                mentions: "no site"
            )

            let claimed = try await api.send(.post, "\(Paths.connector(a))/pcaps/\(id)/claim", body: Self.claim)
            #expect(
                claimed.status == .ok && (try? api.decode(PacketCaptureAssignment.self, claimed).result?.id) == id,
                "\(claimed.text)")
            expectFailure(
                try await api.send(.post, "\(Paths.connector(b))/pcaps/\(id)/claim", body: Self.claim),
                status: .conflict, code: Code.conflict, mentions: a
            )
            #expect(
                try await api.get([PacketCaptureAssignment].self, "\(Paths.connector(b))/pcaps").result?.isEmpty
                    == true,
                "a claimed capture is offered to no one"
            )
            #expect(try await api.get(CaptureRecord.self, "\(Self.pcaps)/\(id)").result?.status == "running")
            expectFailure(
                try await api.send(.get, "\(Self.pcaps)/\(id)/download"), status: .conflict, code: Code.conflict,
                mentions: "running")

            let file = Self.pcap(packets: 3)
            expectFailure(
                try await upload(api, "\(Paths.connector(b))/pcaps/\(id)/file", file), status: .conflict,
                code: Code.conflict, mentions: "not taken on"
            )
            let uploaded = try await upload(api, "\(Paths.connector(a))/pcaps/\(id)/file", file)
            #expect(
                uploaded.status == .ok && (try? api.decode(CaptureRecord.self, uploaded).result?.status) == "success",
                "\(uploaded.text)")
            let keys = try api.resultKeys(uploaded)
            #expect(
                !keys.contains("mock_claimed_by") && !keys.contains("packets_captured"),
                "served as documented for a simple capture")
            let downloaded = try await api.send(.get, "\(Self.pcaps)/\(id)/download")
            #expect(downloaded.status == .ok && Data(buffer: downloaded.body) == file)
            expectFailure(
                try await upload(api, "\(Paths.connector(a))/pcaps/\(id)/file", file), status: .conflict,
                code: Code.conflict, mentions: "success")
            expectFailure(
                try await api.send(
                    .get, "/accounts/\(TestServer.otherAccount)/pcaps/\(id)/download", token: TestServer.otherWriteToken
                ),
                status: .notFound, code: Code.notFound
            )
        }
    }

    @Test("what is not a whole pcap file is 422, another content type 415, a failure report makes it failed")
    func refusedFilesAndFailure() async throws {
        try await withRouter { api in
            let (a, _, _) = try await connectors(api)
            let id = try await capture(api)
            _ = try await api.send(.post, "\(Paths.connector(a))/pcaps/\(id)/claim", body: Self.claim)
            let path = "\(Paths.connector(a))/pcaps/\(id)/file"
            for bad in [
                Data("$(reboot)\n".utf8), Data(), Self.pcap(packets: 2).dropLast(5), Self.pcap(packets: 0).prefix(10),
            ] {
                expectFailure(
                    try await upload(api, path, Data(bad)), status: .unprocessableContent, code: Code.invalidValue,
                    mentions: "libpcap")
            }
            expectFailure(
                try await upload(api, path, Self.pcap(packets: 1), contentType: "text/plain"),
                status: .unsupportedMediaType, code: 1015)
            expectFailure(
                try await api.send(
                    .post, "\(Paths.connector(a))/pcaps/\(id)/failure",
                    body: PacketCaptureFailure(errorMessage: "line\nbreak")),
                status: .unprocessableContent, code: Code.invalidValue
            )
            let failed = try await api.send(
                .post, "\(Paths.connector(a))/pcaps/\(id)/failure",
                body: PacketCaptureFailure(errorMessage: "tcpdump: port1: No such device exists")
            )
            #expect(
                failed.status == .ok && (try? api.decode(CaptureRecord.self, failed).result?.status) == "failed",
                "\(failed.text)")
            #expect(try await api.get(CaptureRecord.self, "\(Self.pcaps)/\(id)").result?.status == "failed")
            expectFailure(
                try await upload(api, path, Self.pcap(packets: 1)), status: .conflict, code: Code.conflict,
                mentions: "failed")
        }
    }

    /// PUTs `data` as the capture file with `contentType` (`send` would label it JSON).
    private func upload(
        _ api: RouterClient, _ path: String, _ data: Data, contentType: String = "application/vnd.tcpdump.pcap"
    ) async throws -> RouterResponse {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(TestServer.writeToken)"
        headers[.contentType] = contentType
        return try await api.request(.put, uri: apiBase + path, headers: headers, body: ByteBuffer(data: data))
    }
}
