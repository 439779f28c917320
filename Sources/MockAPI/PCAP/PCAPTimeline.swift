/// How a capture's status moves, as documented. A simple capture a connector claimed is `running` until that
/// connector uploads its file (`success`) or reports a failure (`failed`); one whose file has not come `grace`
/// seconds after its time limit is `failed` too (the connector went away). Any other capture moves on the clock:
/// `pending`, `running` for its time limit (or until a full capture's stop), then a simple capture is `success`;
/// a full one goes through `conversion_pending` and `conversion_running` to `complete`. Each step other than
/// running lasts `step` seconds.
enum PCAPTimeline {
    static let step = 0.5
    static let grace = 60.0

    static func status(of capture: PacketCapture, now: Double) -> String {
        if let claimed = capture.claimedUnix {
            if capture.uploaded == true { return "success" }
            if capture.errorMessage != nil { return "failed" }
            return now - claimed < (capture.timeLimit ?? 0) + grace ? "running" : "failed"
        }
        guard let submitted = capture.submittedUnix else { return "unknown" }
        let elapsed = now - submitted
        if elapsed < step { return "pending" }
        var runEnd = step + (capture.timeLimit ?? 0)
        if let stop = capture.stopRequestedUnix { runEnd = min(runEnd, max(step, stop - submitted)) }
        if elapsed < runEnd { return "running" }
        guard capture.isFull else { return "success" }
        if elapsed < runEnd + step { return "conversion_pending" }
        return elapsed < runEnd + 2 * step ? "conversion_running" : "complete"
    }

    /// A connector may claim a simple capture nobody claimed while the clock has it pending or running.
    static func isClaimable(_ capture: PacketCapture, now: Double) -> Bool {
        !capture.isFull && capture.claimedBy == nil && ["pending", "running"].contains(status(of: capture, now: now))
    }

    /// A pcap file (libpcap format, little-endian, Ethernet, snaplen 65535) with no packets: what a capture no
    /// connector claimed downloads as.
    static let emptyFile: [UInt8] = [
        0xD4, 0xC3, 0xB2, 0xA1, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xFF, 0xFF, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    ]
}
