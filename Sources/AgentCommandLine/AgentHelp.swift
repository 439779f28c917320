import ArgumentParser

/// The agent's help: abstract, discussion and examples, the same for `vconnector agent` and `vconnector-agent`
/// except for the command name in the usage line and the examples.
public enum AgentHelp {
    /// - Parameters:
    ///   - commandName: the name in the usage line (`agent`, or `vconnector-agent` for the agent-only binary).
    ///   - invocation: how a user starts the agent, as the examples show it.
    ///   - version: printed by `--version` (only a root command has one).
    public static func configuration(commandName: String, invocation: String, version: String = "") -> CommandConfiguration {
        CommandConfiguration(
            commandName: commandName,
            abstract: "Run the connector: lifecycle events, periodic snapshots and check-ins, delivered through a durable spool.",
            discussion: """
                Records Init, then a snapshot every --snapshot-interval and a check-in every --checkin-interval \
                (fetches the connector and its site config, validates it with every `site validate` rule and applies \
                it to network namespaces as `vconnector site apply` does, then records Reconcile; an unchanged config is \
                re-applied each check-in to converge drift and DHCP leases, recording Reconcile only when that changed \
                something; --no-site-apply validates only). Every snapshot and event is written to the spool in --state-dir (SQLite WAL, \
                0700/0600) before it is sent and removed only after the API acknowledged it; while the API is down \
                the agent keeps recording and retries with capped, jittered backoff, then delivers the backlog in \
                order. Past --spool-limit records the oldest are reclaimed (count_reclaimed_paths). SIGTERM/SIGINT: \
                Leave is recorded and the backlog flushed (up to --shutdown-timeout), then the agent exits; \
                a second SIGTERM/SIGINT within 1 s changes nothing, one after that exits at once (status 130).

                Identity: a P-256 device key is created once in <state-dir>/identity (0600) and proven to the API \
                at start (StartAttestation, FinishAttestationSuccess/Failure, retried with backoff). The key is \
                rotated every --rotate-key-interval and on SIGUSR1 (StartRotateCryptKey...); a certificate from \
                the account's CA is renewed every --rotate-pki-interval and on SIGUSR2 (StartRotatePki...). A \
                failed rotation keeps the old key or certificate. Upgrades offered by the API start only inside \
                the connector's interrupt window: StartUpgrade, download, SHA-256 check, install under \
                <state-dir>/versions, then the new version is reported in v (a version is 1-64 ASCII letters, digits, \
                '.', '_', '+', '-', not starting with '.' or '-'; any other offer is refused). A cloudflared tunnel config from the \
                API is written to <state-dir>/cloudflared (ConfigureCloudflaredTunnel once per change).

                Settings come from --config (JSON: api_base, account_id, connector_id, api_token, state_dir, \
                snapshot_interval, checkin_interval, spool_limit, netns, batch_size, backoff_initial, backoff_cap, \
                shutdown_timeout, attestation, rotate_key_interval, rotate_pki_interval, upgrade_timeout, \
                upgrade_retry_interval, site_apply, site_state_root, ca_file, api_token_file, teardown_on_exit; example: \
                fixtures/agent.example.json); flags override the file. The token, strongest first: --api-token, \
                --api-token-file, VCONNECTOR_API_TOKEN, $CREDENTIALS_DIRECTORY/api-token (systemd LoadCredential=), \
                api_token_file, api_token. When the agent stops, the applied site stays up unless --teardown-on-exit.

                Examples:
                  \(invocation) --config /etc/vconnector/agent.json
                  \(invocation) --config /etc/vconnector/agent.json --check-config
                  VCONNECTOR_API_TOKEN=$TOKEN \(invocation) --api-base http://127.0.0.1:8787/client/v4 \\
                      --account-id $ACCOUNT --connector-id $CONNECTOR --state-dir ./vconnector-state --snapshot-interval 10
                """,
            version: version
        )
    }
}
