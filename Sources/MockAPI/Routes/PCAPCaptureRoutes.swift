import ConnectorAPI
import Foundation
import Hummingbird

/// How a simple packet capture reaches a device and comes back (a mock-api addition; the seeds do not say). The
/// account's connectors that have a site see the simple captures nobody has claimed while they are pending or
/// running; the first to claim one runs it on its site's WAN link and uploads the file, which download then serves.
/// A capture belongs to the connector that claimed it: only that connector uploads or reports its failure.
///
/// - `GET .../connectors/{id}/pcaps`: the claimable captures, as `PacketCaptureAssignment`s (none without a site).
/// - `POST .../connectors/{id}/pcaps/{pcap_id}/claim`: take one on (409 once another connector has it or it is
///   no longer pending or running); the capture is `running` until its file comes.
/// - `PUT .../connectors/{id}/pcaps/{pcap_id}/file`: the pcap file (libpcap format, at most 16 MiB, whole
///   records; `application/vnd.tcpdump.pcap` or `application/octet-stream`): the capture is `success`.
/// - `POST .../connectors/{id}/pcaps/{pcap_id}/failure` `{error_message}`: the capture is `failed`.
struct PCAPCaptureRoutes {
    let services: Services

    func register(on accounts: AccountRouter) {
        accounts.group("magic/connectors/:connector_id/pcaps")
            .get(use: claimable)
            .post(":pcap_id/claim", use: claim)
            .put(":pcap_id/file", use: upload)
            .post(":pcap_id/failure", use: failure)
    }

    func claimable(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let now = Date().timeIntervalSince1970
        let assignments = try await services.store.writer.read { db -> [PacketCaptureAssignment] in
            _ = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            guard try !SiteStore.list(db: db, account: account, connector: connector).isEmpty else { return [] }
            return try MagicObjectStore.list(PacketCapture.self, db: db, account: account)
                .filter { PCAPTimeline.isClaimable($0, now: now) }.compactMap(\.assignment)
        }
        return try JSONResponse.ok(assignments)
    }

    func claim(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let id = try context.path("pcap_id")
        let assignment = try await services.store.writer.write { db -> PacketCaptureAssignment in
            _ = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            var capture = try MagicObjectStore.require(PacketCapture.self, db: db, account: account, id: id)
            let now = Date().timeIntervalSince1970
            if let owner = capture.claimedBy {
                throw APIError.conflict("packet capture '\(id)' is already taken on by \(owner == connector ? "this connector" : "connector '\(owner)'")")
            }
            guard try !SiteStore.list(db: db, account: account, connector: connector).isEmpty else {
                throw APIError.conflict("connector '\(connector)' has no site to capture on")
            }
            guard PCAPTimeline.isClaimable(capture, now: now), let assignment = capture.assignment else {
                throw APIError.conflict("packet capture '\(id)' is \(capture.isFull ? "full" : PCAPTimeline.status(of: capture, now: now)); only a pending or running simple capture is taken on")
            }
            (capture.claimedBy, capture.claimedUnix) = (connector, now)
            try MagicObjectStore.save(capture, db: db, account: account)
            return assignment
        }
        return try JSONResponse.ok(assignment)
    }

    func upload(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let id = try context.path("pcap_id")
        try Self.checkContentType(request.headers[.contentType])
        let bytes = Data(buffer: try await RequestBodyReader(maxBytes: PCAPFileStore.maximumBytes).bytes(request))
        guard let records = PcapFile.records(in: bytes), records.end == bytes.count else {
            throw APIError.invalid("file", "not a libpcap file of whole records (\(bytes.count) bytes)")
        }
        let capture = try await services.store.writer.write { db -> PacketCapture in
            var capture = try running(db: db, account: account, connector: connector, id: id)
            capture.uploaded = true
            try MagicObjectStore.save(capture, db: db, account: account)
            try PCAPFileStore.put(db: db, pcap: id, bytes: bytes)
            return capture
        }
        return try JSONResponse.ok(capture.served(objectTargets: false))
    }

    func failure(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let id = try context.path("pcap_id")
        let body = try await services.body.decode(PacketCaptureFailure.self, from: request)
        if let problem = TextRules.nameProblem(body.errorMessage, maximumLength: 1024) { throw APIError.invalid("error_message", problem) }
        let capture = try await services.store.writer.write { db -> PacketCapture in
            var capture = try running(db: db, account: account, connector: connector, id: id)
            capture.errorMessage = body.errorMessage
            try MagicObjectStore.save(capture, db: db, account: account)
            return capture
        }
        return try JSONResponse.ok(capture.served(objectTargets: false))
    }

    /// The capture `connector` claimed and is still running; 409 for anyone else's or a finished one.
    private func running(db: SQLSession, account: String, connector: String, id: String) throws -> PacketCapture {
        _ = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
        let capture = try MagicObjectStore.require(PacketCapture.self, db: db, account: account, id: id)
        guard capture.claimedBy == connector else { throw APIError.conflict("packet capture '\(id)' is not taken on by connector '\(connector)'") }
        let status = PCAPTimeline.status(of: capture, now: Date().timeIntervalSince1970)
        guard status == "running" else { throw APIError.conflict("packet capture '\(id)' is \(status); nothing more is taken for it") }
        return capture
    }

    /// A pcap file comes as itself: `application/vnd.tcpdump.pcap`, `application/octet-stream` or no type; anything
    /// else is 415.
    static func checkContentType(_ value: String?) throws {
        guard let value else { return }
        let type = value.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard !["", "application/vnd.tcpdump.pcap", "application/octet-stream"].contains(type) else { return }
        throw APIError(
            status: .unsupportedMediaType, code: ErrorCode.unsupportedMediaType,
            message: "Content-Type \(TextRules.printable(type, limit: 60)) is not supported; send the file as application/vnd.tcpdump.pcap")
    }
}

extension PacketCapture {
    /// What a connector needs to run this capture; nil for one that is not a complete simple capture.
    var assignment: PacketCaptureAssignment? {
        guard let id, !isFull, let timeLimit, let packetLimit else { return nil }
        return PacketCaptureAssignment(id: id, timeLimit: timeLimit, packetLimit: packetLimit, filterV1: filterV1)
    }
}
