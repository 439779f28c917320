extension MockStore {
    /// Stores snapshots of one connector in bulk, in one transaction, bypassing the API: for `bench mock-api`,
    /// which times reads over millions of stored rows. Multi-row INSERTs (both engines take them), 250 rows each.
    package func seedSnapshots(account: String, connector: String, rows: [(t: Double, a: Double, body: String)]) async throws {
        try await writer.write { db in
            let seq = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            var start = 0
            while start < rows.count {
                let part = rows[start..<min(rows.count, start + 250)]
                var arguments = SQLArguments()
                for row in part { arguments.values += [.integer(seq), .real(row.t), .real(row.a), .text(row.body)] }
                let values = Array(repeating: "(?, ?, ?, ?)", count: part.count).joined(separator: ", ")
                try db.execute(sql: "INSERT INTO snapshots (connector_seq, t, a, body) VALUES \(values) ON CONFLICT DO NOTHING", arguments: arguments)
                start += part.count
            }
        }
    }
}
