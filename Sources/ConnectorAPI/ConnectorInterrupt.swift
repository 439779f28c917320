// Connector interrupts as in the current official schema (SDK 5.9.0 `magic_transit.connectors.interrupts`; not
// in the seeds): an operator asks the device to reboot, restart or shut down. `submitted_at` is when it was asked,
// `triggered_at` when the device took it on (mock-api: when the agent reported it); until then it is pending.

/// One interrupt of a connector; also the create body, which gives exactly one of the three actions.
public struct ConnectorInterrupt: Codable, Sendable, Equatable {
    /// The parameters of an action.
    public struct Action: Codable, Sendable, Equatable {
        /// Purge connector state (the agent: forget the applied site and the undelivered records).
        public var purge: Bool?

        public init(purge: Bool? = nil) { self.purge = purge }
    }

    public enum Kind: String, Sendable, CaseIterable {
        case reboot, restart, shutdown
    }

    public var submittedAt: String?
    public var triggeredAt: String?
    public var reboot: Action?
    public var restart: Action?
    public var shutdown: Action?

    public init(_ kind: Kind, purge: Bool? = nil, submittedAt: String? = nil, triggeredAt: String? = nil) {
        self.submittedAt = submittedAt
        self.triggeredAt = triggeredAt
        switch kind {
        case .reboot: reboot = Action(purge: purge)
        case .restart: restart = Action(purge: purge)
        case .shutdown: shutdown = Action(purge: purge)
        }
    }

    /// The actions given, in schema order (a valid interrupt has exactly one).
    public var kinds: [Kind] {
        [(Kind.reboot, reboot), (.restart, restart), (.shutdown, shutdown)].compactMap { $0.1 == nil ? nil : $0.0 }
    }

    /// The single action's kind and whether it purges; nil unless exactly one action is given.
    public var action: (kind: Kind, purge: Bool)? {
        guard kinds.count == 1, let kind = kinds.first, let action = reboot ?? restart ?? shutdown else { return nil }
        return (kind, action.purge ?? false)
    }

    public var isPending: Bool { triggeredAt == nil }

    enum CodingKeys: String, CodingKey {
        case reboot, restart, shutdown
        case submittedAt = "submitted_at"
        case triggeredAt = "triggered_at"
    }
}

/// `POST .../connectors/{id}/interrupts/triggered` (a mock-api addition): the device took on the interrupt
/// submitted at `submitted_at`.
public struct InterruptTriggered: Codable, Sendable, Equatable {
    public var submittedAt: String

    public init(submittedAt: String) { self.submittedAt = submittedAt }

    enum CodingKeys: String, CodingKey { case submittedAt = "submitted_at" }
}
