import Testing

@testable import Telemetry

@Suite("Pure parsers over a process's /proc files")
struct ProcessParserTests {
    @Test("/proc/PID/stat: utime and stime, counted from the last ')' of a name with spaces and parentheses")
    func processStat() throws {
        let text = "4242 (vconnector (a) b) S 1 4242 4242 0 -1 4194560 1200 0 3 0 250 75 0 0 20 0 9 0 123 456789 1234\n"
        let stat = try ProcessStat.parse(text)
        #expect(stat == ProcessStat(userTicks: 250, systemTicks: 75))
        #expect(stat.cpuSeconds == 3.25)
    }

    @Test("/proc/PID/stat: no name, too few fields or non-numbers are errors")
    func processStatErrors() {
        #expect(throws: ParseError.self) { try ProcessStat.parse("4242 vconnector S 1 2 3") }
        #expect(throws: ParseError.self) {
            try ProcessStat.parse("4242 (vconnector) S 1 4242 4242 0 -1 4194560 1200 0 3 0 250\n")
        }
        #expect(throws: ParseError.self) {
            try ProcessStat.parse("4242 (v) S 1 4242 4242 0 -1 4194560 1200 0 3 0 x 75 0 0\n")
        }
    }

    @Test("/proc/PID/status and smaps_rollup: kB fields by name; other lines skipped")
    func processMemory() {
        let status = ProcessMemory.parse(
            "Name:\tvconnector-agent\nState:\tS (sleeping)\nVmHWM:\t   25000 kB\nVmRSS:\t   24371 kB\nThreads:\t9\n")
        #expect(status.kilobytes == ["VmHWM": 25000, "VmRSS": 24371])
        #expect(status.residentMegabytes == 24371.0 / 1024)
        let rollup = ProcessMemory.parse(
            "55d0c0000000-7ffd8d9fe000 ---p 00000000 00:00 0                          [rollup]\nRss:               24371 kB\nPss:               20600 kB\nAnonymous:          1843 kB\n"
        )
        #expect(rollup.megabytes("Pss") == 20600.0 / 1024 && rollup.megabytes("Anonymous") == 1843.0 / 1024)
        #expect(rollup.kilobytes.count == 3)
        #expect(ProcessMemory.parse("").residentMegabytes == nil)
    }

    @Test("/proc/PID/smaps: resident kB by mapped file; heap and stacks as [anonymous]; the kernel's own by name")
    func processMappings() {
        let text = """
            00400000-00c00000 r-xp 00000000 08:01 1234                               /usr/local/bin/vconnector-agent
            Size:               8192 kB
            Rss:                6000 kB
            Pss:                6000 kB
            00c00000-00d00000 rw-p 00800000 08:01 1234                               /usr/local/bin/vconnector-agent
            Rss:                 500 kB
            01000000-02000000 rw-p 00000000 00:00 0                                  [heap]
            Rss:                1200 kB
            7f0000000000-7f0000100000 rw-p 00000000 00:00 0 
            Rss:                 300 kB
            7f0000200000-7f0000400000 r-xp 00000000 08:01 99                         /usr/lib/x86_64-linux-gnu/libc.so.6
            Rss:                1500 kB
            7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0                          [vdso]
            Rss:                   8 kB
            """
        #expect(
            ProcessMappings.residentKilobytes(text) == [
                "vconnector-agent": 6500, "[anonymous]": 1500, "libc.so.6": 1500, "[vdso]": 8,
            ])
    }
}
