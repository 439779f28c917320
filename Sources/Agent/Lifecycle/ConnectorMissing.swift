import ConnectorAPI

/// The API answered 404 for this connector: the id is wrong, or it belongs to another account, or it was deleted.
struct ConnectorMissing: Error, CustomStringConvertible {
    var accountID: String
    var connectorID: String
    var apiBase: String

    var description: String {
        "connector \(TextRules.printable(connectorID)) does not exist in account \(TextRules.printable(accountID)) at \(apiBase) (HTTP 404): "
            + "check --connector-id/connector_id and --account-id/account_id (GET /accounts/{account_id}/magic/connectors lists the account's "
            + "connectors) and that the token belongs to that account; still retrying, at the long backoff (--max-backoff)"
    }
}
