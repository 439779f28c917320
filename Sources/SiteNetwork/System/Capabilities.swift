import Foundation

/// What this kernel offers for VLANs and bonds, found without creating anything: a module that is loaded
/// (`/sys/module/NAME`), built in (`modules.builtin`) or loadable (`modules.dep`).
public struct Capabilities: Sendable, Equatable {
    /// e.g. "802.1Q: no 8021q module in kernel 6.1.0".
    public var vlan: String
    public var bonding: String

    public static let unprobed = Capabilities(vlan: "kernel not probed", bonding: "kernel not probed")

    /// Probes this host's kernel once per process.
    public static let current: Capabilities = probe(sysRoot: "/sys", modulesRoot: "/lib/modules")

    static func probe(sysRoot: String, modulesRoot: String) -> Capabilities {
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let builtin = (try? String(contentsOfFile: "\(modulesRoot)/\(release)/modules.builtin", encoding: .utf8)) ?? ""
        let loadable = (try? String(contentsOfFile: "\(modulesRoot)/\(release)/modules.dep", encoding: .utf8)) ?? ""
        func state(_ module: String, _ feature: String) -> String {
            if FileManager.default.fileExists(atPath: "\(sysRoot)/module/\(module)") {
                return "\(feature): \(module) is loaded, but real devices are not built yet"
            }
            if builtin.contains("/\(module).ko") { return "\(feature): \(module) is built in, but real devices are not built yet" }
            if loadable.contains("/\(module).ko") { return "\(feature): \(module) is loadable, but real devices are not built yet" }
            return "\(feature): no \(module) module in kernel \(release)"
        }
        return Capabilities(vlan: state("8021q", "802.1Q"), bonding: state("bonding", "bonding"))
    }
}
