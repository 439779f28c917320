import Blocking
import ConnectorAPI
import Foundation
import Logging
import SiteNetwork

/// Packet captures the operator asks for (seed 003 simple PCAPs; how one reaches a device is a mock-api addition,
/// see `PCAPCaptureRoutes`). Every check-in interval, while a site is applied, the agent asks which captures it may
/// take; it claims one (another connector of the account may be quicker: then it is not ours), runs it on the
/// site's preferred WAN link with the request's filter and limits (`WANCapture`), and uploads the pcap file, or
/// reports why it could not. One capture at a time, in a loop of its own so a capture never delays an interrupt.
/// An API without these endpoints (404) asks for none.
extension Agent {
    /// No file larger than mock-api takes (16 MiB).
    static let captureByteLimit = 16 * 1024 * 1024

    func captureLoop() async {
        await device.attestationDecided.wait()
        var failing = false
        while !Task.isCancelled {
            do {
                try await checkCaptures()
                failing = false
            } catch {
                if Task.isCancelled { return }
                if !failing { logger.warning("cannot read or report packet captures; retrying every check-in interval", metadata: ["error": "\(error)"]) }
                failing = true
            }
            do { try await Task.sleep(for: .seconds(configuration.checkinInterval)) } catch { return }
        }
    }

    /// Claims and runs the first capture offered, if a site is applied here.
    func checkCaptures() async throws {
        guard let reconciler = site.reconciler, let config = reconciledBox.withLock({ $0 }) else { return }
        let path = client.connectorPath + "/pcaps"
        guard let offered = try await client.getOptional([PacketCaptureAssignment].self, path) else { return }
        // An id becomes a path segment: one that is not an id is never used.
        guard let first = offered.first(where: { TextRules.idProblem($0.id) == nil }) else { return }
        guard let point = WANCapture.preferredWAN(of: config, names: reconciler.names(for: config, node: site.node(of: config))) else { return }
        let assignment: PacketCaptureAssignment
        do {
            assignment = try await client.call("POST", "\(path)/\(first.id)/claim", body: [String: String](), as: PacketCaptureAssignment.self)
        } catch let refusal as APIRefusal where refusal.status == 409 {
            return  // another connector took it first
        }
        let started = ContinuousClock.now
        logger.notice("packet capture", metadata: [
            "pcap_id": "\(first.id)", "link": "\(point.link)", "time_limit": "\(assignment.timeLimit)", "packet_limit": "\(assignment.packetLimit)",
        ])
        do {
            let result = try await capture(assignment, at: point)
            _ = try await client.upload("\(path)/\(first.id)/file", bytes: result.file, contentType: "application/vnd.tcpdump.pcap", as: IgnoredResult.self)
            logger.notice("packet capture uploaded", metadata: [
                "pcap_id": "\(first.id)", "packets": "\(result.packets)", "bytes": "\(result.file.count)",
                "seconds": "\(String(format: "%.1f", (ContinuousClock.now - started) / .seconds(1)))",
            ])
        } catch let error as CaptureFilterError {
            try await report(first.id, failure: "\(error)")
        } catch let error as CommandError {
            try await report(first.id, failure: TextRules.printable(error.description, limit: 1000))
        }
    }

    /// Runs `assignment` off the cooperative pool; the agent stopping stops tcpdump.
    private func capture(_ assignment: PacketCaptureAssignment, at point: WANCapture) async throws -> WANCapture.Result {
        let filter = try CaptureFilter.expression(assignment.filterV1)
        let limits = WANCapture.Limits(
            packets: min(max(assignment.packetLimit, 1), 10_000), time: .milliseconds(Int(min(max(assignment.timeLimit, 0), 300) * 1000)),
            bytes: Self.captureByteLimit)
        let directory = configuration.stateDirectory + "/captures"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // The file is named by us, not by the API's id.
        let file = "\(directory)/capture-\(UUID().uuidString).pcap"
        return try await Blocking.run { cancelled in try point.run(filter: filter, limits: limits, file: file, shouldStop: { cancelled.isSet }) }
    }

    private func report(_ id: String, failure message: String) async throws {
        logger.warning("packet capture failed", metadata: ["pcap_id": "\(id)", "error": "\(message)"])
        _ = try await client.call(
            "POST", client.connectorPath + "/pcaps/\(id)/failure", body: PacketCaptureFailure(errorMessage: message), as: IgnoredResult.self)
    }
}
