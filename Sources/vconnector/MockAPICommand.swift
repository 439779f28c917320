import ArgumentParser
import Fleet
import Foundation
import Logging
import MockAPI

/// `vconnector mock-api`: the local Cloudflare v4 Magic API on embedded SQLite, or on PostgreSQL for replicas.
struct MockAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-api",
        abstract: "Run a local Cloudflare v4 Magic API (connectors, sites, LANs, WANs, ACLs, app configs, telemetry, catalog syncs) on SQLite or PostgreSQL.",
        discussion: """
            Point agents, scripts and the Cloudflare SDKs at http://HOST:PORT/client/v4 instead of \
            https://api.cloudflare.com/client/v4. Data persists in the SQLite file given by --db.

            --db postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME (or ?host=/socket/dir for a unix socket) keeps \
            the data in PostgreSQL instead: several mock-api replicas, on one machine or several, then serve \
            one fleet behind a load balancer. The database must exist; mock-api creates its tables. Start one \
            replica first on an empty database (or seed with --account-id/--api-token on every replica). The \
            password never appears in logs or errors; PGPASSWORD in the environment is used when the URL has \
            none (a URL's password is visible in the process list).

            On first start with an empty database it creates an account, a write token ("Magic WAN Write") \
            and a read token ("Magic WAN Read") and prints them once; only their SHA-256 is stored. \
            --account-id and --api-token (or VCONNECTOR_MOCK_ACCOUNT_ID / VCONNECTOR_MOCK_API_TOKEN) seed \
            a known account and write token instead, for scripts. SIGINT/SIGTERM shut down gracefully.

            --catalog FILE loads a resource catalog (cloud VPCs, VNets, subnets, instances with their CIDRs, \
            IPs, regions and tags; see fixtures/catalog/example.json) that every account's catalog starts \
            with; catalog-sync policies run over it plus the account's own Magic sites and LANs.

            Examples:
              vconnector mock-api
              vconnector mock-api --listen 127.0.0.1:0 --db :memory: --account-id acc1 --api-token secret1
              vconnector mock-api --catalog fixtures/catalog/example.json
              vconnector mock-api --listen 0.0.0.0:8787 --db postgres://mock@db.internal/mockapi
              curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8787/client/v4/accounts/$ACCOUNT/magic/connectors
            """
    )

    @Option(help: "Address to listen on, HOST:PORT. Port 0 picks a free port (the log says which).")
    var listen = "127.0.0.1:8787"

    @Option(help: ArgumentHelp(
        "SQLite database file (created if missing), :memory: for a throwaway run, or postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME for replicas on PostgreSQL.",
        valueName: "path-or-url"
    ))
    var db = MockAPIConfiguration.defaultDatabasePath

    @Option(name: .customLong("account-id"), help: "Seed this account id (env VCONNECTOR_MOCK_ACCOUNT_ID). Needs --api-token.")
    var accountID: String?

    @Option(name: .customLong("api-token"), help: "Seed this write API token for the account (env VCONNECTOR_MOCK_API_TOKEN).")
    var apiToken: String?

    @Option(name: .customLong("read-token"), help: "Also seed this read-only API token for the account (env VCONNECTOR_MOCK_READ_TOKEN).")
    var readToken: String?

    @Option(name: .customLong("api-email"), help: "With --api-key: seed a global API key for X-Auth-Email/X-Auth-Key auth.")
    var apiEmail: String?

    @Option(name: .customLong("api-key"), help: "With --api-email: the global API key (env VCONNECTOR_MOCK_API_KEY).")
    var apiKey: String?

    @Option(name: .customLong("max-body-bytes"), help: "Largest request body accepted; bigger ones get 413.")
    var maxBodyBytes = MockAPIConfiguration.defaultMaxBodyBytes

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Close a connection silent this long, between requests or in the middle of one.", valueName: "seconds"))
    var idleTimeout = MockAPIConfiguration.defaultIdleTimeout

    @Option(name: .customLong("header-timeout"), help: ArgumentHelp("Close a connection whose first request head is not complete this long after it opened (slowloris).", valueName: "seconds"))
    var headerTimeout = MockAPIConfiguration.defaultHeaderTimeout

    @Option(name: .customLong("body-timeout"), help: ArgumentHelp("Close a connection whose request body is not complete this long after its head (slow POST).", valueName: "seconds"))
    var bodyTimeout = MockAPIConfiguration.defaultBodyTimeout

    @Option(help: ArgumentHelp(
        "Keep telemetry this long by its own time t (7d, 12h, 90m); older snapshots and events are deleted at start and then every 1/24 of it. Default: keep everything.",
        valueName: "duration"))
    var retention: String?

    @Option(help: "JSON resource catalog for catalog syncs (format: fixtures/catalog/example.json); checked at start.")
    var catalog: String?

    @Option(name: .customLong("log-level"), help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        _ = try Self.parseListen(listen)
        if PostgresURL.isPostgres(db) {
            do { _ = try PostgresURL(db) } catch let error as PostgresURLError { throw ValidationError("--db: \(error.description)") }
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level '\(logLevel)'") }
        guard maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024") }
        for (flag, seconds) in [("--idle-timeout", idleTimeout), ("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout)] {
            guard seconds.isFinite, seconds >= 0.01, seconds <= 86_400 else {
                throw ValidationError("\(flag) must be from 0.01 to 86400 seconds")
            }
        }
        if (apiEmail == nil) != (resolved(apiKey, "VCONNECTOR_MOCK_API_KEY") == nil) {
            throw ValidationError("--api-email and --api-key go together")
        }
        if let retention, !(FleetDuration.seconds(retention).map { $0 >= 60 } ?? false) {
            throw ValidationError("--retention: '\(retention)' is not a duration of at least a minute (7d, 12h, 90m)")
        }
        if let catalog {
            do {
                _ = try ResourceCatalog.load(path: catalog)
            } catch let error as CatalogFileError {
                throw ValidationError("--catalog: \(error.description)")
            }
        }
    }

    func run() async throws {
        let (host, port) = try Self.parseListen(listen)
        var logger = Logger(label: "vconnector.mock-api")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let server = try MockAPIServer(
            configuration: MockAPIConfiguration(
                host: host, port: port, databasePath: db, maxBodyBytes: maxBodyBytes, catalogPath: catalog,
                idleTimeout: idleTimeout, headerTimeout: headerTimeout, bodyTimeout: bodyTimeout,
                retention: retention.flatMap(FleetDuration.seconds)
            ),
            logger: logger
        )
        let account = resolved(accountID, "VCONNECTOR_MOCK_ACCOUNT_ID")
        let token = resolved(apiToken, "VCONNECTOR_MOCK_API_TOKEN")
        if account != nil || token != nil {
            guard let account, let token else { throw ValidationError("--account-id and --api-token go together") }
            try server.store.createAccount(id: account, writeToken: token, readToken: resolved(readToken, "VCONNECTOR_MOCK_READ_TOKEN"))
            logger.info("seeded account and token from the command line", metadata: ["account": "\(account)"])
        } else if try server.store.isEmpty() {
            let secrets = try server.store.createAccount()
            // Printed once, to stdout, never logged: only the SHA-256 is stored.
            print("""
                New mock account (shown once; only SHA-256 hashes are stored):
                  account id:                  \(secrets.accountID)
                  API token (Magic WAN Write): \(secrets.writeToken)
                  API token (Magic WAN Read):  \(secrets.readToken)
                """)
            fflush(nil)  // all output streams: the secrets reach a pipe before the server blocks
        }
        let keyAccount = try account ?? server.store.firstAccountID()
        if let email = apiEmail, let key = resolved(apiKey, "VCONNECTOR_MOCK_API_KEY"), let account = keyAccount {
            try server.store.addGlobalKey(key, email: email, account: account)
            logger.info("seeded global API key", metadata: ["email": "\(email)", "account": "\(account)"])
        }
        try await server.run()
    }

    private func resolved(_ value: String?, _ environment: String) -> String? {
        value ?? ProcessInfo.processInfo.environment[environment].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func parseListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--listen: expected HOST:PORT, got '\(text)'")
        }
        let host = String(text[..<colon])
        guard !host.isEmpty else { throw ValidationError("--listen: missing host in '\(text)'") }
        return (host, port)
    }
}
