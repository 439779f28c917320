import ConnectorAPI
import Foundation
import Logging

/// Every check-in interval: what the operator asks of this device: an interrupt (see `checkInterrupts`), and
/// mock-api's additions. A cloudflared tunnel config is applied and `ConfigureCloudflaredTunnel` recorded once per
/// change; an upgrade offer goes to the upgrade flow. An API without these endpoints (404) asks for nothing.
extension Agent {
    func directivesLoop() async {
        await device.attestationDecided.wait()
        var failing = false
        while !Task.isCancelled {
            do {
                try await checkDirectives()
                failing = false
            } catch {
                if Task.isCancelled { return }
                if !failing { logger.warning("cannot read the device's directives (interrupt, upgrade, tunnel); retrying every check-in interval", metadata: ["error": "\(error)"]) }
                failing = true
            }
            do { try await Task.sleep(for: .seconds(configuration.checkinInterval)) } catch { return }
        }
    }

    func checkDirectives() async throws {
        // An interrupt comes first: an upgrade or tunnel change is moot on a device about to stop.
        if try await checkInterrupts() { return }
        let tunnel = try await client.getOptional(CloudflaredTunnelConfig.self, client.connectorPath + "/cloudflared_tunnel")
        if try device.tunnel.apply(tunnel) {
            record(.configureCloudflaredTunnel)
            if let tunnel {
                logger.info("cloudflared tunnel configured", metadata: [
                    "tunnel_id": "\(TextRules.printable(tunnel.tunnelId))", "ingress_rules": "\(tunnel.ingress?.count ?? 0)", "directory": "\(device.tunnel.directory)",
                    "cloudflared": "\(CloudflaredTunnel.binaryAvailable ? "found on PATH" : "not installed; config written only")",
                ])
            } else {
                logger.info("cloudflared tunnel removed")
            }
        }
        if let offer = try await client.getOptional(UpgradeOffer.self, client.connectorPath + "/upgrade") {
            await considerUpgrade(offer)
        }
    }
}
