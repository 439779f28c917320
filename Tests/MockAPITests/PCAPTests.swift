import ConnectorAPI
import Foundation
import Hummingbird
import TestSupport
import Testing

/// Packet captures and their buckets (seed 003 "PCAPs", "Ownership"): the status timeline, download, stop, the
/// request rules, bucket validation, account isolation and hostile input. The mock captures no packets.
@Suite("Packet captures")
struct PCAPTests {
    static let pcaps = "/accounts/\(TestServer.account)/pcaps"
    static let buckets = "\(pcaps)/ownership"
    static let bucket = "s3://pcaps-bucket?region=us-east-1"
    static let simple = CaptureRequest(type: "simple", timeLimit: 1, packetLimit: 10)
    static let full = CaptureRequest(type: "full", timeLimit: 300, coloName: "ord02", destinationConf: bucket)

    /// Polls the capture until it has `status`; whether it did within 10 s.
    private func reaches(_ api: RouterClient, _ id: String, _ status: String) async throws -> Bool {
        for _ in 0..<100 {
            if try await api.get(CaptureRecord.self, "\(Self.pcaps)/\(id)").result?.status == status { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// A validated bucket of the test account.
    private func validatedBucket(_ api: RouterClient) async throws -> String {
        let added = try await api.send(.post, Self.buckets, body: CaptureBucketRequest(destinationConf: Self.bucket))
        let bucket = try #require(try api.decode(CaptureBucket.self, added).result, "\(added.text)")
        let filename = try #require(bucket.filename, "\(added.text)")
        let validated = try await api.send(
            .post, "\(Self.buckets)/validate",
            body: CaptureBucketRequest(destinationConf: Self.bucket, ownershipChallenge: filename)
        )
        let result = try api.decode(CaptureBucket.self, validated).result
        #expect(result?.status == "success" && result?.validated != nil, "\(validated.text)")
        return bucket.id
    }

    @Test("a simple capture: pending, running, success, then a pcap file to download")
    func simpleCapture() async throws {
        try await withRouter { api in
            var body = Self.simple
            body.filterV1 = PacketCaptureFilter(destinationPort: 443, protocol: 6, sourceAddress: "10.0.1.10")
            let created = try await api.send(.post, Self.pcaps, body: body)
            let capture = try api.decode(CaptureRecord.self, created).result
            #expect(created.status == .ok && capture?.status == "pending", "\(created.text)")
            let keys = try api.resultKeys(created)
            #expect(!keys.contains("packet_limit") && !keys.contains("mock_submitted_unix"), "served as documented")
            let id = try #require(capture?.id)
            expectFailure(
                try await api.send(.get, "\(Self.pcaps)/\(id)/download"), status: .conflict, code: Code.conflict,
                mentions: "pending")
            expectFailure(
                try await api.send(.put, "\(Self.pcaps)/\(id)/stop"), status: .conflict, code: Code.conflict,
                mentions: "simple")
            #expect(try await reaches(api, id, "running"))
            #expect(try await reaches(api, id, "success"))
            let file = try await api.send(.get, "\(Self.pcaps)/\(id)/download")
            let data = Data(buffer: file.body)
            #expect(file.status == .ok && file.headers[.contentType] == "application/vnd.tcpdump.pcap")
            #expect(Array(data.prefix(4)) == [0xD4, 0xC3, 0xB2, 0xA1] && data.count == 24, "a pcap header, no packets")
            #expect(try await api.get([CaptureRecord].self, Self.pcaps).result?.map(\.id) == [id])
        }
    }

    @Test("a full capture needs a validated bucket; stopped early it converts to complete")
    func fullCapture() async throws {
        try await withRouter { api in
            let full = Self.full
            expectFailure(
                try await api.send(.post, Self.pcaps, body: full), status: .unprocessableContent,
                code: Code.invalidValue, mentions: "destination_conf")
            let addedResponse = try await api.send(
                .post, Self.buckets, body: CaptureBucketRequest(destinationConf: Self.bucket))
            let added = try #require(try api.decode(CaptureBucket.self, addedResponse).result, "\(addedResponse.text)")
            #expect(added.status == "pending")
            expectFailure(
                try await api.send(.post, Self.buckets, body: CaptureBucketRequest(destinationConf: Self.bucket)),
                status: .conflict, code: Code.conflict
            )
            expectFailure(
                try await api.send(.post, Self.pcaps, body: full), status: .unprocessableContent,
                code: Code.invalidValue, mentions: "destination_conf")
            expectFailure(
                try await api.send(
                    .post, "\(Self.buckets)/validate",
                    body: CaptureBucketRequest(destinationConf: Self.bucket, ownershipChallenge: "guess.txt")
                ),
                status: .unprocessableContent, code: Code.invalidValue, mentions: "ownership_challenge")
            let bucketID = added.id
            let challenge = try #require(added.filename)
            let validated = try await api.send(
                .post, "\(Self.buckets)/validate",
                body: CaptureBucketRequest(destinationConf: Self.bucket, ownershipChallenge: challenge)
            )
            #expect(validated.status == .ok)

            let created = try await api.send(.post, Self.pcaps, body: full)
            let capture = try #require(try api.decode(CaptureRecord.self, created).result, "\(created.text)")
            let id = capture.id
            #expect(capture.coloName == "ord02" && capture.destinationConf == Self.bucket)
            #expect(try await reaches(api, id, "running"))
            #expect(try await api.send(.put, "\(Self.pcaps)/\(id)/stop").status == .ok)
            #expect(try await reaches(api, id, "complete"), "conversion_pending, conversion_running, complete")
            let done = try await api.get(CaptureRecord.self, "\(Self.pcaps)/\(id)").result
            #expect(done?.stopRequested != nil && done?.packetsCaptured == 0)
            expectFailure(
                try await api.send(.put, "\(Self.pcaps)/\(id)/stop"), status: .conflict, code: Code.conflict,
                mentions: "complete")
            expectFailure(
                try await api.send(.get, "\(Self.pcaps)/\(id)/download"), status: .conflict, code: Code.conflict,
                mentions: "full")
            #expect(try await api.send(.delete, "\(Self.buckets)/\(bucketID)").status == .ok)
            #expect(try await api.get([CaptureBucket].self, Self.buckets).result?.isEmpty == true)
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
        (
            #"{"system": "magic-transit", "type": "simple", "time_limit": 1, "packet_limit": 1, "filter_v1": {"source_address": "10.0.0.256"}}"#,
            "filter_v1.source_address"
        ),
        (
            #"{"system": "magic-transit", "type": "simple", "time_limit": 1, "packet_limit": 1, "filter_v1": {"destination_port": 0}}"#,
            "filter_v1.destination_port"
        ),
        (
            #"{"system": "magic-transit", "type": "simple", "time_limit": 1, "packet_limit": 1, "filter_v1": {"protocol": 256}}"#,
            "filter_v1.protocol"
        ),
        (
            #"{"system": "magic-transit", "type": "simple", "time_limit": 1, "packet_limit": 1, "offset_time": "yesterday"}"#,
            "offset_time"
        ),
        (
            #"{"system": "magic-transit", "type": "simple", "time_limit": 1, "packet_limit": 1, "offset_time": "2001-01-01T00:00:00Z"}"#,
            "offset_time"
        ),
        (
            #"{"system": "magic-transit", "type": "simple", "time_limit": 1, "packet_limit": 1, "colo_name": "ord02"}"#,
            "colo_name"
        ),
        (
            #"{"system": "magic-transit", "type": "full", "time_limit": 1, "destination_conf": "s3://pcaps-bucket"}"#,
            "colo_name"
        ),
        (
            #"{"system": "magic-transit", "type": "full", "time_limit": 1, "colo_name": "ord 02", "destination_conf": "s3://pcaps-bucket"}"#,
            "colo_name"
        ),
    ])
    func refusesBadRequests(body: String, field: String) async throws {
        try await withRouter { api in
            let response = try await api.send(.post, Self.pcaps, raw: Data(body.utf8))
            let message = (try? api.decode(CaptureRecord.self, response))?.errors.first?.message ?? ""
            #expect(
                [.badRequest, .unprocessableContent].contains(response.status) && message.contains(field),
                "\(response.status) \(response.text)")
            #expect(try await api.get([CaptureRecord].self, Self.pcaps).result?.isEmpty == true)
        }
    }

    @Test("an offset_time within the last day is taken")
    func recentOffset() async throws {
        try await withRouter { api in
            var body = Self.simple
            body.offsetTime = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3600))
            let created = try await api.send(.post, Self.pcaps, body: body)
            #expect(
                created.status == .ok
                    && (try? api.decode(CaptureRecord.self, created).result?.offsetTime) == body.offsetTime,
                "\(created.text)")
        }
    }

    @Test("another account sees none of the captures or buckets and cannot use the bucket; a read token only reads")
    func isolation() async throws {
        try await withRouter { api in
            let bucketID = try await validatedBucket(api)
            let id = try #require(
                try api.decode(CaptureRecord.self, try await api.send(.post, Self.pcaps, body: Self.simple)).result?.id)
            let other = TestServer.otherWriteToken
            let theirs = "/accounts/\(TestServer.otherAccount)/pcaps"
            #expect(try await api.get([CaptureRecord].self, theirs, token: other).result?.isEmpty == true)
            #expect(
                try await api.get([CaptureBucket].self, "\(theirs)/ownership", token: other).result?.isEmpty == true)
            expectFailure(
                try await api.send(.get, "\(theirs)/\(id)", token: other), status: .notFound, code: Code.notFound)
            expectFailure(
                try await api.send(.get, "\(theirs)/\(id)/download", token: other), status: .notFound,
                code: Code.notFound)
            expectFailure(
                try await api.send(.put, "\(theirs)/\(id)/stop", token: other), status: .notFound, code: Code.notFound)
            expectFailure(
                try await api.send(.delete, "\(theirs)/ownership/\(bucketID)", token: other), status: .notFound,
                code: Code.notFound)
            var full = Self.full
            full.timeLimit = 5
            expectFailure(
                try await api.send(.post, theirs, token: other, body: full), status: .unprocessableContent,
                code: Code.invalidValue,
                mentions: "destination_conf"
            )
            #expect(try await api.send(.get, Self.pcaps, token: other).status == .forbidden)
            let read = TestServer.readToken
            #expect(try await api.get([CaptureRecord].self, Self.pcaps, token: read).result?.count == 1)
            #expect(try await api.send(.post, Self.pcaps, token: read, body: Self.simple).status == .forbidden)
            #expect(
                try await api.send(
                    .post, Self.buckets, token: read, body: CaptureBucketRequest(destinationConf: "gs://other-bucket")
                ).status == .forbidden)
        }
    }

    @Test(
        "hostile strings in bucket URIs, challenges, colo names and filter addresses: 4xx naming the field, never a 5xx"
    )
    func hostileInput() async throws {
        try await withRouter { api in
            _ = try await validatedBucket(api)
            for (label, value) in HostileStrings.corpus {
                var filtered = Self.simple
                filtered.filterV1 = PacketCaptureFilter(sourceAddress: value)
                let answers = [
                    (
                        "destination_conf",
                        try await api.send(.post, Self.buckets, body: CaptureBucketRequest(destinationConf: value))
                    ),
                    (
                        "ownership_challenge",
                        try await api.send(
                            .post, "\(Self.buckets)/validate",
                            body: CaptureBucketRequest(destinationConf: Self.bucket, ownershipChallenge: value)
                        )
                    ),
                    (
                        "colo_name",
                        try await api.send(
                            .post, Self.pcaps,
                            body: CaptureRequest(
                                type: "full", timeLimit: 1, coloName: value, destinationConf: Self.bucket)
                        )
                    ),
                    ("filter_v1.source_address", try await api.send(.post, Self.pcaps, body: filtered)),
                ]
                for (field, response) in answers {
                    let message = (try? api.decode(CaptureRecord.self, response))?.errors.first?.message ?? ""
                    #expect(
                        response.status == .unprocessableContent && message.contains(field),
                        "\(label) in \(field): \(response.status) \(response.text.prefix(200))"
                    )
                    #expect(
                        !message.unicodeScalars.contains { $0.value < 0x20 } && message.count < 1000,
                        "\(label) in \(field)")
                }
            }
            #expect(try await api.get([CaptureRecord].self, Self.pcaps).result?.isEmpty == true)
            #expect(try await api.get([CaptureBucket].self, Self.buckets).result?.count == 1)
            #expect(!HostileStrings.markerExists)
        }
    }
}
