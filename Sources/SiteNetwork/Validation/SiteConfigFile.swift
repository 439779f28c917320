import ConnectorAPI
import Foundation

/// Reads a site config file (JSON `{site, wans, lans, acls}`).
public enum SiteConfigFile {
    public static func load(path: String) throws -> SiteConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SiteValidationError(problems: [SiteProblem(path, "cannot read the file")])
        }
        return try decode(data)
    }

    public static func decode(_ data: Data) throws -> SiteConfig {
        do {
            return try JSONDecoder().decode(SiteConfig.self, from: data)
        } catch {
            throw SiteValidationError(problems: [SiteProblem("$", "\(error)")])
        }
    }
}
