import Foundation
import Testing

/// scripts/install into a temporary root and prefix (never the real /usr/local or /etc): what it puts where, the
/// unit checked by systemd-analyze, and --uninstall leaving nothing.
@Suite("scripts/install", .serialized, .timeLimit(.minutes(2)))
struct InstallTests {
    static let script = Shell.repository.appendingPathComponent("scripts/install").path
    static let prefix = "/opt/vct-prefix"

    /// Installs the debug build into a fresh staging root; the root's path.
    static func install(into root: String) throws -> (status: Int32, stdout: String, stderr: String) {
        try Shell.run(script, ["--root", root, "--prefix", prefix, "--binaries", CLI.binary.deletingLastPathComponent().path])
    }

    static func mode(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1
    }

    /// Every path under `root`, relative to it.
    static func contents(_ root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).sorted()
    }

    @Test("installs binaries, man pages, completions, the unit, the example config (0600) and the state dir (0700)")
    func installs() throws {
        let root = try Shell.scratch("install")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try Self.install(into: root)
        #expect(result.status == 0, "\(result.stderr)")
        for command in ["vconnector", "vconnector-agent"] {
            #expect(FileManager.default.isExecutableFile(atPath: "\(root)\(Self.prefix)/bin/\(command)"))
            let manual = try String(contentsOfFile: "\(root)\(Self.prefix)/share/man/man1/\(command).1", encoding: .utf8)
            #expect(manual.hasPrefix(".TH \"\(command.uppercased())\" \"1\""))
            #expect(manual.contains(".SH NAME\n\(command) \\- "))
            #expect(manual.contains(command == "vconnector" ? ".SH VCONNECTOR SITE APPLY" : "\\fB--api-token-file\\fR"), "every subcommand and option is in the manual page")
            #expect(!manual.contains("<subcommand>") == (command == "vconnector-agent"))
            if Shell.has("groff") {
                let checked = try Shell.run("groff", ["-man", "-ww", "-z", "\(root)\(Self.prefix)/share/man/man1/\(command).1"])
                #expect(checked.status == 0 && checked.stderr.isEmpty, "groff warnings: \(checked.stderr)")
            }
            let bash = try String(contentsOfFile: "\(root)\(Self.prefix)/share/bash-completion/completions/\(command)", encoding: .utf8)
            #expect(bash.contains("complete") && bash.contains(command))
            #expect(FileManager.default.fileExists(atPath: "\(root)\(Self.prefix)/share/zsh/site-functions/_\(command)"))
            #expect(FileManager.default.fileExists(atPath: "\(root)\(Self.prefix)/share/fish/vendor_completions.d/\(command).fish"))
        }
        let agentBash = try String(contentsOfFile: "\(root)\(Self.prefix)/share/bash-completion/completions/vconnector-agent", encoding: .utf8)
        #expect(agentBash.contains("--api-token-file") && agentBash.contains("--teardown-on-exit"))

        let example = try Data(contentsOf: CLI.fixtures.appendingPathComponent("agent.example.json"))
        #expect(FileManager.default.contents(atPath: "\(root)/etc/vconnector/agent.json") == example)
        #expect(try Self.mode("\(root)/etc/vconnector/agent.json") == 0o600)
        #expect(try Self.mode("\(root)/etc/vconnector") == 0o700)
        #expect(try Self.mode("\(root)/var/lib/vconnector") == 0o700)

        let unit = try String(contentsOfFile: "\(root)/etc/systemd/system/vconnector-agent.service", encoding: .utf8)
        let execStart = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        #expect(execStart == "ExecStart=\(Self.prefix)/bin/vconnector-agent --config /etc/vconnector/agent.json --log-format json")
        #expect(!unit.contains("--api-token ") && !unit.contains("VCONNECTOR_API_TOKEN="), "no token on the command line or in the unit")
        #expect(unit.contains("LoadCredential=api-token:/etc/vconnector/api-token"))
        for line in ["KillSignal=SIGTERM", "Restart=on-failure", "KillMode=process", "NoNewPrivileges=yes",
                     "CapabilityBoundingSet=CAP_NET_ADMIN CAP_SYS_ADMIN CAP_NET_RAW CAP_NET_BIND_SERVICE CAP_SETGID"] {
            #expect(unit.contains("\n\(line)\n"), "\(line)")
        }
        #expect(!unit.contains("\nProtectSystem=") && !unit.contains("\nPrivateTmp="), "no private mount namespace: /run/netns must be shared")

        let again = try Self.install(into: root)
        #expect(again.status != 0 && again.stderr.contains("already installed"), "a second install refuses instead of overwriting")
    }

    @Test("systemd-analyze verify accepts the installed unit (and flags a broken one)",
          .enabled(if: Shell.has("systemd-analyze"), "needs systemd-analyze (Debian package systemd; scripts/install-deps installs it)"))
    func unitVerifies() throws {
        let root = try Shell.scratch("install-verify")
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try Self.install(into: root).status == 0)
        // verify --root resolves every unit inside the root: give it the system's units (sysinit.target, ...).
        try FileManager.default.createDirectory(atPath: "\(root)/usr/lib/systemd", withIntermediateDirectories: true)
        #expect(try Shell.run("cp", ["-a", "/lib/systemd/system", "\(root)/usr/lib/systemd/system"]).status == 0)
        // Documentation=man:vconnector-agent(1) is checked with man, against the installed page.
        let manual = Shell.has("man") ? ["--man=yes"] : ["--man=no"]
        let environment = ["MANPATH": "\(root)\(Self.prefix)/share/man"]
        let verified = try Shell.run("systemd-analyze", ["verify", "--root=\(root)"] + manual + ["vconnector-agent.service"], environment: environment)
        #expect(verified.status == 0 && verified.stderr.isEmpty, "\(verified.stderr)")

        // The same check fails on a typo and on a binary that is not there, so the pass above means something.
        let unit = "\(root)/etc/systemd/system/vconnector-agent.service"
        let good = try String(contentsOfFile: unit, encoding: .utf8)
        try good.replacingOccurrences(of: "\nRestart=", with: "\nRestartt=").write(toFile: unit, atomically: true, encoding: .utf8)
        let typo = try Shell.run("systemd-analyze", ["verify", "--root=\(root)"] + manual + ["vconnector-agent.service"], environment: environment)
        #expect(typo.stderr.contains("Restartt"))
        try FileManager.default.removeItem(atPath: "\(root)\(Self.prefix)/bin/vconnector-agent")
        try good.write(toFile: unit, atomically: true, encoding: .utf8)
        let missing = try Shell.run("systemd-analyze", ["verify", "--root=\(root)"] + manual + ["vconnector-agent.service"], environment: environment)
        #expect(missing.status != 0 && missing.stderr.contains("vconnector-agent is not executable"))
    }

    @Test("--uninstall removes everything the install put there")
    func uninstallLeavesNothing() throws {
        let root = try Shell.scratch("install-remove")
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try Self.install(into: root).status == 0)
        #expect(Self.contents(root).count > 20)
        let removed = try Shell.run(Self.script, ["--root", root, "--prefix", Self.prefix, "--uninstall"])
        #expect(removed.status == 0 && removed.stderr.isEmpty, "\(removed.stderr)")
        #expect(Self.contents(root) == [], "left behind: \(Self.contents(root))")
        let twice = try Shell.run(Self.script, ["--root", root, "--prefix", Self.prefix, "--uninstall"])
        #expect(twice.status != 0 && twice.stderr.contains("nothing to uninstall"))
    }

    @Test("an install that fails halfway reports it, and --uninstall removes what it had put there")
    func failedInstallUndone() throws {
        let root = try Shell.scratch("install-fail")
        let binaries = try Shell.scratch("install-fail-bin")
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: binaries)
        }
        try FileManager.default.createSymbolicLink(atPath: "\(binaries)/vconnector", withDestinationPath: CLI.binary.path)
        // An agent binary that cannot describe itself: the manual page step fails after vconnector's files are in.
        try "#!/bin/sh\nexit 3\n".write(toFile: "\(binaries)/vconnector-agent", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(binaries)/vconnector-agent")
        let failed = try Shell.run(Self.script, ["--root", root, "--prefix", Self.prefix, "--binaries", binaries])
        #expect(failed.status != 0)
        #expect(FileManager.default.fileExists(atPath: "\(root)\(Self.prefix)/bin/vconnector"), "it got that far")
        let removed = try Shell.run(Self.script, ["--root", root, "--prefix", Self.prefix, "--uninstall"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(Self.contents(root) == [], "left behind: \(Self.contents(root))")
    }

    @Test("an existing config is never overwritten; a config changed after the install is kept by --uninstall, and said so")
    func keepsTheOperatorsConfig() throws {
        let root = try Shell.scratch("install-config")
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Existing before the install: untouched, and not the install's to remove.
        try FileManager.default.createDirectory(atPath: "\(root)/etc/vconnector", withIntermediateDirectories: true)
        try #"{"account_id": "mine"}"#.write(toFile: "\(root)/etc/vconnector/agent.json", atomically: true, encoding: .utf8)
        let installed = try Self.install(into: root)
        #expect(installed.status == 0 && installed.stderr.contains("kept the existing /etc/vconnector/agent.json"))
        #expect(try String(contentsOfFile: "\(root)/etc/vconnector/agent.json", encoding: .utf8) == #"{"account_id": "mine"}"#)
        #expect(try Self.mode("\(root)/etc/vconnector") == 0o700, "the config directory is tightened")
        #expect(try Shell.run(Self.script, ["--root", root, "--prefix", Self.prefix, "--uninstall"]).status == 0)
        #expect(Self.contents(root) == ["etc", "etc/vconnector", "etc/vconnector/agent.json"])

        // Installed by us, then edited by the operator: kept, with a message.
        try FileManager.default.removeItem(atPath: "\(root)/etc")
        #expect(try Self.install(into: root).status == 0)
        try #"{"account_id": "edited"}"#.write(toFile: "\(root)/etc/vconnector/agent.json", atomically: true, encoding: .utf8)
        let removed = try Shell.run(Self.script, ["--root", root, "--prefix", Self.prefix, "--uninstall"])
        #expect(removed.status == 0 && removed.stderr.contains("kept /etc/vconnector/agent.json: it was changed after the install"))
        #expect(Self.contents(root) == ["etc", "etc/vconnector", "etc/vconnector/agent.json"])
    }
}
