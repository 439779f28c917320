import ConnectorAPI

/// Builds `thermals[]` from /sys/class/thermal zones and /sys/class/hwmon sensors. A sensor that
/// fails to read is skipped (and reported), never the whole list.
struct ThermalReader {
    let files: KernelFiles

    /// Sensors, plus a message per sensor that could not be read.
    func thermals() -> (sensors: [Snapshot.Thermal], failures: [String]) {
        var sensors: [Snapshot.Thermal] = []
        var failures: [String] = []
        readZones(into: &sensors, failures: &failures)
        readHwmon(into: &sensors, failures: &failures)
        return (sensors, failures)
    }

    private func readZones(into sensors: inout [Snapshot.Thermal], failures: inout [String]) {
        let root = files.sys("class/thermal")
        for zone in files.entries(of: root) where zone.hasPrefix("thermal_zone") {
            let directory = root + "/" + zone
            do {
                let label = (try? files.string(directory + "/type")) ?? zone
                var thermal = Snapshot.Thermal(label: label)
                thermal.currentCelcius = Double(try files.integer(directory + "/temp")) / 1000
                // The critical threshold is the trip point whose type is "critical".
                for entry in files.entries(of: directory) where entry.hasPrefix("trip_point_") && entry.hasSuffix("_type") {
                    if (try? files.string(directory + "/" + entry)) == "critical" {
                        let temperature = directory + "/" + entry.dropLast("_type".count) + "_temp"
                        thermal.criticalCelcius = (try? files.integer(temperature)).map { Double($0) / 1000 }
                    }
                }
                sensors.append(thermal)
            } catch {
                failures.append("\(zone): \(error)")
            }
        }
    }

    private func readHwmon(into sensors: inout [Snapshot.Thermal], failures: inout [String]) {
        let root = files.sys("class/hwmon")
        for hwmon in files.entries(of: root) {
            let directory = root + "/" + hwmon
            let chip = (try? files.string(directory + "/name")) ?? hwmon
            let inputs = files.entries(of: directory).filter { $0.hasPrefix("temp") && $0.hasSuffix("_input") }
            for input in inputs {
                let sensor = String(input.dropLast("_input".count))
                do {
                    let label = (try? files.string(directory + "/" + sensor + "_label")).map { "\(chip) \($0)" } ?? "\(chip) \(sensor)"
                    var thermal = Snapshot.Thermal(label: label)
                    thermal.currentCelcius = Double(try files.integer(directory + "/" + input)) / 1000
                    thermal.criticalCelcius = (try? files.integer(directory + "/" + sensor + "_crit")).map { Double($0) / 1000 }
                    // temp*_highest is the chip's own record of the highest value, where it keeps one.
                    thermal.maxCelcius = (try? files.integer(directory + "/" + sensor + "_highest")).map { Double($0) / 1000 }
                    sensors.append(thermal)
                } catch {
                    failures.append("\(hwmon) \(sensor): \(error)")
                }
            }
        }
    }
}
