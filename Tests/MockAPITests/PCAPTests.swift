import Foundation
import TestSupport
import Testing

/// Packet captures and their buckets (seed 003 "PCAPs", "Ownership"): the status timeline, download, stop, the
/// request rules, bucket validation, account isolation and hostile input. The mock captures no packets.
@Suite("Packet captures")
struct PCAPTests {
    static let pcaps = "/accounts/\(TestServer.account)/pcaps"
    static let buckets = "\(pcaps)/ownership"
    static let bucket = "s3://pcaps-bucket?region=us-east-1"
    static var simple: [String: Any] { ["system": "magic-transit", "type": "simple", "time_limit": 1, "packet_limit": 10] }

    /// Polls the capture until it has `status`; whether it did within 10 s.
    private func reaches(_ client: TestClient, _ id: String, _ status: String) async throws -> Bool {
        for _ in 0..<100 {
            if try await client.get("\(Self.pcaps)/\(id)").object["status"] as? String == status { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// A validated bucket of the test account.
    private func validatedBucket(_ client: TestClient) async throws -> String {
        let added = try await client.post(Self.buckets, ["destination_conf": Self.bucket])
        let filename = try #require(added.object["filename"] as? String, "\(added.text)")
        let validated = try await client.post("\(Self.buckets)/validate", ["destination_conf": Self.bucket, "ownership_challenge": filename])
        #expect(validated.object["status"] as? String == "success" && validated.object["validated"] is String, "\(validated.text)")
        return try #require(added.object["id"] as? String)
    }

    @Test("a simple capture: pending, running, success, then a pcap file to download")
    func simpleCapture() async throws {
        try await withServer { server in
            let client = server.client
            var body = Self.simple
            body["filter_v1"] = ["source_address": "10.0.1.10", "destination_port": 443, "protocol": 6]
            let created = try await client.post(Self.pcaps, body)
            #expect(created.status == 200 && created.object["status"] as? String == "pending", "\(created.text)")
            #expect(created.object["packet_limit"] == nil && created.object["mock_submitted_unix"] == nil, "served as documented")
            let id = try #require(created.object["id"] as? String)
            expectFailure(try await client.get("\(Self.pcaps)/\(id)/download"), status: 409, code: Code.conflict, mentions: "pending")
            expectFailure(try await client.send("PUT", "\(Self.pcaps)/\(id)/stop"), status: 409, code: Code.conflict, mentions: "simple")
            #expect(try await reaches(client, id, "running"))
            #expect(try await reaches(client, id, "success"))
            let file = try await client.get("\(Self.pcaps)/\(id)/download")
            #expect(file.status == 200 && file.headers["content-type"] == "application/vnd.tcpdump.pcap")
            #expect(Array(file.data.prefix(4)) == [0xD4, 0xC3, 0xB2, 0xA1] && file.data.count == 24, "a pcap header, no packets")
            #expect(try await client.get(Self.pcaps).array.map { $0["id"] as? String } == [id])
        }
    }

    @Test("a full capture needs a validated bucket; stopped early it converts to complete")
    func fullCapture() async throws {
        try await withServer { server in
            let client = server.client
            let full: [String: Any] = ["system": "magic-transit", "type": "full", "time_limit": 300, "colo_name": "ord02", "destination_conf": Self.bucket]
            expectFailure(try await client.post(Self.pcaps, full), status: 422, code: Code.invalidValue, mentions: "destination_conf")
            let added = try await client.post(Self.buckets, ["destination_conf": Self.bucket])
            #expect(added.object["status"] as? String == "pending")
            expectFailure(try await client.post(Self.buckets, ["destination_conf": Self.bucket]), status: 409, code: Code.conflict)
            expectFailure(try await client.post(Self.pcaps, full), status: 422, code: Code.invalidValue, mentions: "destination_conf")
            expectFailure(
                try await client.post("\(Self.buckets)/validate", ["destination_conf": Self.bucket, "ownership_challenge": "guess.txt"]), status: 422,
                code: Code.invalidValue, mentions: "ownership_challenge")
            let bucketID = try #require(added.object["id"] as? String)
            let challenge = try #require(added.object["filename"] as? String)
            #expect(try await client.post("\(Self.buckets)/validate", ["destination_conf": Self.bucket, "ownership_challenge": challenge]).status == 200)

            let created = try await client.post(Self.pcaps, full)
            let id = try #require(created.object["id"] as? String, "\(created.text)")
            #expect(created.object["colo_name"] as? String == "ord02" && created.object["destination_conf"] as? String == Self.bucket)
            #expect(try await reaches(client, id, "running"))
            #expect(try await client.send("PUT", "\(Self.pcaps)/\(id)/stop").status == 200)
            #expect(try await reaches(client, id, "complete"), "conversion_pending, conversion_running, complete")
            let done = try await client.get("\(Self.pcaps)/\(id)").object
            #expect(done["stop_requested"] is String && done["packets_captured"] as? Int == 0)
            expectFailure(try await client.send("PUT", "\(Self.pcaps)/\(id)/stop"), status: 409, code: Code.conflict, mentions: "complete")
            expectFailure(try await client.get("\(Self.pcaps)/\(id)/download"), status: 409, code: Code.conflict, mentions: "full")
            #expect(try await client.delete("\(Self.buckets)/\(bucketID)").status == 200)
            #expect(try await client.get(Self.buckets).array.isEmpty)
        }
    }

    @Test(arguments: [
        (#"{"type": "simple", "time_limit": 1, "packet_limit": 1}"#, "system"),
        (#"{"system": "magic-wan", "type": "simple", "time_limit": 1, "packet_limit": 1}"#, "system"),
        (#"{"system": "magic-transit", "type": "sampled", "time_limit": 1, "packet_limit": 1}"#, "type"),
        (#"{"system": "magic-transit", "type": "simple", "time_limit": 0, "packet_limit": 1}"#, "time_limit"),
        (#"{"system": "magic-transit", "type": "simple", "time_limit": 301, "packet_limit": 1}"#, "time_limit"),
        (#"{"system": "magic-transit", "type": "simple", "time_limit": 1}"#, "packet_limit"),
        (#"{"system": "magic-transit", "type": "simple", "time_limit": 1, "packet_limit": 10001}"#, "packet_limit"),
        (#"{"system": "magic-transit", "type": "simple", "time_limit": 1, "packet_limit": 1.5}"#, "packet_limit"),
        (#"{"system": "magic-transit", "type": "simple", "time_limit": 1, "packet_limit": 1, "filter_v1": {"source_address": "10.0.0.256"}}"#, "filter_v1.source_address"),
        (#"{"system": "magic-transit", "type": "simple", "time_limit": 1, "packet_limit": 1, "filter_v1": {"destination_port": 0}}"#, "filter_v1.destination_port"),
        (#"{"system": "magic-transit", "type": "simple", "time_limit": 1, "packet_limit": 1, "filter_v1": {"protocol": 256}}"#, "filter_v1.protocol"),
        (#"{"system": "magic-transit", "type": "simple", "time_limit": 1, "packet_limit": 1, "offset_time": "yesterday"}"#, "offset_time"),
        (#"{"system": "magic-transit", "type": "simple", "time_limit": 1, "packet_limit": 1, "offset_time": "2001-01-01T00:00:00Z"}"#, "offset_time"),
        (#"{"system": "magic-transit", "type": "simple", "time_limit": 1, "packet_limit": 1, "colo_name": "ord02"}"#, "colo_name"),
        (#"{"system": "magic-transit", "type": "full", "time_limit": 1, "destination_conf": "s3://pcaps-bucket"}"#, "colo_name"),
        (#"{"system": "magic-transit", "type": "full", "time_limit": 1, "colo_name": "ord 02", "destination_conf": "s3://pcaps-bucket"}"#, "colo_name"),
    ])
    func refusesBadRequests(body: String, field: String) async throws {
        try await withServer { server in
            let response = try await server.client.send("POST", Self.pcaps, raw: body)
            #expect([400, 422].contains(response.status) && response.errorMessage.contains(field), "\(response.status) \(response.text)")
            #expect(try await server.client.get(Self.pcaps).array.isEmpty)
        }
    }

    @Test("an offset_time within the last day is taken")
    func recentOffset() async throws {
        try await withServer { server in
            var body = Self.simple
            body["offset_time"] = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3600))
            let created = try await server.client.post(Self.pcaps, body)
            #expect(created.status == 200 && created.object["offset_time"] as? String == body["offset_time"] as? String, "\(created.text)")
        }
    }

    @Test("another account sees none of the captures or buckets and cannot use the bucket; a read token only reads")
    func isolation() async throws {
        try await withServer { server in
            let client = server.client
            let bucketID = try await validatedBucket(client)
            let id = try #require(try await client.post(Self.pcaps, Self.simple).object["id"] as? String)
            let other = server.otherClient
            let theirs = "/accounts/\(TestServer.otherAccount)/pcaps"
            #expect(try await other.get(theirs).array.isEmpty)
            #expect(try await other.get("\(theirs)/ownership").array.isEmpty)
            expectFailure(try await other.get("\(theirs)/\(id)"), status: 404, code: Code.notFound)
            expectFailure(try await other.get("\(theirs)/\(id)/download"), status: 404, code: Code.notFound)
            expectFailure(try await other.send("PUT", "\(theirs)/\(id)/stop"), status: 404, code: Code.notFound)
            expectFailure(try await other.delete("\(theirs)/ownership/\(bucketID)"), status: 404, code: Code.notFound)
            let full: [String: Any] = ["system": "magic-transit", "type": "full", "time_limit": 5, "colo_name": "ord02", "destination_conf": Self.bucket]
            expectFailure(try await other.post(theirs, full), status: 422, code: Code.invalidValue, mentions: "destination_conf")
            #expect(try await other.get(Self.pcaps).status == 403)
            #expect(try await server.readClient.get(Self.pcaps).array.count == 1)
            #expect(try await server.readClient.post(Self.pcaps, Self.simple).status == 403)
            #expect(try await server.readClient.post(Self.buckets, ["destination_conf": "gs://other-bucket"]).status == 403)
        }
    }

    @Test("hostile strings in bucket URIs, challenges, colo names and filter addresses: 4xx naming the field, never a 5xx")
    func hostileInput() async throws {
        try await withServer { server in
            let client = server.client
            _ = try await validatedBucket(client)
            for (label, value) in HostileStrings.corpus {
                let answers = [
                    ("destination_conf", try await client.post(Self.buckets, ["destination_conf": value])),
                    ("ownership_challenge", try await client.post("\(Self.buckets)/validate", ["destination_conf": Self.bucket, "ownership_challenge": value])),
                    ("colo_name", try await client.post(Self.pcaps, ["system": "magic-transit", "type": "full", "time_limit": 1, "colo_name": value, "destination_conf": Self.bucket])),
                    ("filter_v1.source_address", try await client.post(Self.pcaps, Self.simple.merging(["filter_v1": ["source_address": value]]) { $1 })),
                ]
                for (field, response) in answers {
                    #expect(response.status == 422 && response.errorMessage.contains(field), "\(label) in \(field): \(response.status) \(response.text.prefix(200))")
                    #expect(!response.errorMessage.unicodeScalars.contains { $0.value < 0x20 } && response.errorMessage.count < 1000, "\(label) in \(field)")
                }
            }
            #expect(try await client.get(Self.pcaps).array.isEmpty)
            #expect(try await client.get(Self.buckets).array.count == 1)
            #expect(!HostileStrings.markerExists)
        }
    }
}
