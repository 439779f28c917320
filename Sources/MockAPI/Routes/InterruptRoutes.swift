import ConnectorAPI
import Hummingbird

/// Connector interrupts, directives like the upgrade offer (current official schema, SDK `connectors.interrupts`):
/// - `GET/POST .../connectors/{id}/interrupts`: list oldest first; create a reboot, restart or shutdown (exactly
///   one), 409 while another is pending.
/// - `POST .../connectors/{id}/interrupts/triggered` `{submitted_at}` (a mock-api addition): the device reports
///   that it took the interrupt on, which sets `triggered_at`. Idempotent: a repeated report changes nothing.
extension DirectiveRoutes {
    func registerInterrupts(on accounts: AccountRouter) {
        accounts.group("magic/connectors/:connector_id/interrupts")
            .get(use: listInterrupts)
            .post(use: createInterrupt)
            .post("triggered", use: interruptTriggered)
    }

    private func listInterrupts(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let interrupts = try await services.store.writer.read { db in
            try InterruptStore.list(db: db, seq: try ConnectorStore.requireSeq(db: db, account: account, id: connector))
        }
        return try JSONResponse.ok(interrupts)
    }

    private func createInterrupt(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let body = try await services.body.decode(ConnectorInterrupt.self, from: request)
        let kinds = body.kinds
        guard let action = body.action else {
            let given = kinds.isEmpty ? "none given" : "given: \(kinds.map(\.rawValue).joined(separator: ", "))"
            throw APIError.invalid(kinds.last?.rawValue ?? "reboot", "give exactly one of reboot, restart and shutdown (\(given))")
        }
        let interrupt = ConnectorInterrupt(action.kind, purge: action.purge, submittedAt: MockStore.timestamp())
        try await services.store.writer.write { db in
            let seq = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            if let pending = try InterruptStore.pending(db: db, seq: seq) {
                let kind = pending.interrupt.action?.kind.rawValue ?? "interrupt"
                throw APIError.conflict(
                    "connector '\(connector)' has a pending \(kind) submitted at \(pending.interrupt.submittedAt ?? "?"); wait until the device has triggered it"
                )
            }
            try InterruptStore.insert(interrupt, db: db, seq: seq)
        }
        return try JSONResponse.ok(interrupt)
    }

    private func interruptTriggered(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let body = try await services.body.decode(InterruptTriggered.self, from: request)
        let interrupt = try await services.store.writer.write { db in
            let seq = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            guard var found = try InterruptStore.submitted(at: body.submittedAt, db: db, seq: seq) else {
                throw APIError.notFound("interrupt submitted at", TextRules.printable(body.submittedAt, limit: 40))
            }
            if found.interrupt.isPending {
                found.interrupt.triggeredAt = MockStore.timestamp()
                try InterruptStore.markTriggered(row: found.row, at: found.interrupt.triggeredAt ?? "", db: db)
            }
            return found.interrupt
        }
        return try JSONResponse.ok(interrupt)
    }
}
