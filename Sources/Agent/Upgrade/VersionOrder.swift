/// Orders versions like `1.2.10` > `1.2.9`: dot-separated parts, numeric ones compared as numbers, others as text;
/// anything after `-` or `+` is a label that sorts before the plain version (`2.0.0-rc1` < `2.0.0`).
enum VersionOrder {
    static func isNewer(_ candidate: String, than current: String) -> Bool {
        compare(candidate, current) > 0
    }

    static func compare(_ a: String, _ b: String) -> Int {
        let (coreA, labelA) = split(a), (coreB, labelB) = split(b)
        let partsA = coreA.split(separator: "."), partsB = coreB.split(separator: ".")
        for index in 0..<max(partsA.count, partsB.count) {
            let x = index < partsA.count ? String(partsA[index]) : "0"
            let y = index < partsB.count ? String(partsB[index]) : "0"
            if let i = Int(x), let j = Int(y) {
                if i != j { return i < j ? -1 : 1 }
            } else if x != y {
                return x < y ? -1 : 1
            }
        }
        switch (labelA, labelB) {
        case (nil, nil): return 0
        case (nil, _): return 1
        case (_, nil): return -1
        case (let x?, let y?): return x == y ? 0 : (x < y ? -1 : 1)
        }
    }

    private static func split(_ version: String) -> (core: Substring, label: Substring?) {
        guard let index = version.firstIndex(where: { $0 == "-" || $0 == "+" }) else { return (Substring(version), nil) }
        return (version[..<index], version[version.index(after: index)...])
    }
}
