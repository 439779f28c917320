// The nested objects of a snapshot, with the field names of the documented schema.

extension Snapshot {
    /// One entry of `bonds`.
    public struct Bond: Codable, Sendable, Equatable {
        /// Name of the network interface
        public var name: String
        /// Current status of the network interface
        public var status: String

        public init(name: String, status: String) {
            self.name = name
            self.status = status
        }

        enum CodingKeys: String, CodingKey {
            case name = "name"
            case status = "status"
        }
    }

    /// One entry of `dhcp_leases`.
    public struct DHCPLease: Codable, Sendable, Equatable {
        /// Client ID of the device the IP Address was leased to
        public var clientId: String
        /// Expiry time of the DHCP lease (seconds since the Unix epoch)
        public var expiryTime: Int64
        /// Hostname of the device the IP Address was leased to
        public var hostname: String
        /// Name of the network interface
        public var interfaceName: String
        /// IP Address that was leased
        public var ipAddress: String
        /// MAC Address of the device the IP Address was leased to
        public var macAddress: String

        public init(clientId: String, expiryTime: Int64, hostname: String, interfaceName: String, ipAddress: String, macAddress: String) {
            self.clientId = clientId
            self.expiryTime = expiryTime
            self.hostname = hostname
            self.interfaceName = interfaceName
            self.ipAddress = ipAddress
            self.macAddress = macAddress
        }

        enum CodingKeys: String, CodingKey {
            case clientId = "client_id"
            case expiryTime = "expiry_time"
            case hostname = "hostname"
            case interfaceName = "interface_name"
            case ipAddress = "ip_address"
            case macAddress = "mac_address"
        }
    }

    /// One entry of `disks`.
    public struct Disk: Codable, Sendable, Equatable {
        /// I/Os currently in progress
        public var inProgress: UInt64
        /// Device major number
        public var major: Int
        /// Reads merged
        public var merged: UInt64
        /// Device minor number
        public var minor: Int
        /// Device name
        public var name: String
        /// Reads completed successfully
        public var reads: UInt64
        /// Sectors read successfully
        public var sectorsRead: UInt64
        /// Sectors written successfully
        public var sectorsWritten: UInt64
        /// Time spent doing I/Os (milliseconds)
        public var timeInProgressMs: UInt64
        /// Time spent reading (milliseconds)
        public var timeReadingMs: UInt64
        /// Time spent writing (milliseconds)
        public var timeWritingMs: UInt64
        /// Weighted time spent doing I/Os (milliseconds)
        public var weightedTimeInProgressMs: UInt64
        /// Writes completed
        public var writes: UInt64
        /// Writes merged
        public var writesMerged: UInt64
        /// Discards completed successfully
        public var discards: UInt64? = nil
        /// Discards merged
        public var discardsMerged: UInt64? = nil
        /// Flushes completed successfully
        public var flushes: UInt64? = nil
        /// Sectors discarded
        public var sectorsDiscarded: UInt64? = nil
        /// Time spent discarding (milliseconds)
        public var timeDiscardingMs: UInt64? = nil
        /// Time spent flushing (milliseconds)
        public var timeFlushingMs: UInt64? = nil

        public init(inProgress: UInt64, major: Int, merged: UInt64, minor: Int, name: String, reads: UInt64, sectorsRead: UInt64, sectorsWritten: UInt64, timeInProgressMs: UInt64, timeReadingMs: UInt64, timeWritingMs: UInt64, weightedTimeInProgressMs: UInt64, writes: UInt64, writesMerged: UInt64) {
            self.inProgress = inProgress
            self.major = major
            self.merged = merged
            self.minor = minor
            self.name = name
            self.reads = reads
            self.sectorsRead = sectorsRead
            self.sectorsWritten = sectorsWritten
            self.timeInProgressMs = timeInProgressMs
            self.timeReadingMs = timeReadingMs
            self.timeWritingMs = timeWritingMs
            self.weightedTimeInProgressMs = weightedTimeInProgressMs
            self.writes = writes
            self.writesMerged = writesMerged
        }

        enum CodingKeys: String, CodingKey {
            case inProgress = "in_progress"
            case major = "major"
            case merged = "merged"
            case minor = "minor"
            case name = "name"
            case reads = "reads"
            case sectorsRead = "sectors_read"
            case sectorsWritten = "sectors_written"
            case timeInProgressMs = "time_in_progress_ms"
            case timeReadingMs = "time_reading_ms"
            case timeWritingMs = "time_writing_ms"
            case weightedTimeInProgressMs = "weighted_time_in_progress_ms"
            case writes = "writes"
            case writesMerged = "writes_merged"
            case discards = "discards"
            case discardsMerged = "discards_merged"
            case flushes = "flushes"
            case sectorsDiscarded = "sectors_discarded"
            case timeDiscardingMs = "time_discarding_ms"
            case timeFlushingMs = "time_flushing_ms"
        }
    }

    /// One entry of `interfaces`.
    public struct Interface: Codable, Sendable, Equatable {
        /// Name of the network interface
        public var name: String
        /// UP/DOWN state of the network interface
        public var operstate: String
        public var ipAddresses: [InterfaceAddress]? = nil
        /// Speed of the network interface (bits per second)
        public var speed: UInt64? = nil

        public init(name: String, operstate: String) {
            self.name = name
            self.operstate = operstate
        }

        enum CodingKeys: String, CodingKey {
            case name = "name"
            case operstate = "operstate"
            case ipAddresses = "ip_addresses"
            case speed = "speed"
        }
    }

    /// One entry of `ip_addresses`.
    public struct InterfaceAddress: Codable, Sendable, Equatable {
        /// Name of the network interface
        public var interfaceName: String
        /// IP address of the network interface
        public var ipAddress: String

        public init(interfaceName: String, ipAddress: String) {
            self.interfaceName = interfaceName
            self.ipAddress = ipAddress
        }

        enum CodingKeys: String, CodingKey {
            case interfaceName = "interface_name"
            case ipAddress = "ip_address"
        }
    }

    /// One entry of `mounts`.
    public struct Mount: Codable, Sendable, Equatable {
        /// File system on disk (EXT4, NTFS, etc.)
        public var fileSystem: String
        /// Kind of disk (HDD, SSD, etc.)
        public var kind: String
        /// Path where disk is mounted
        public var mountPoint: String
        /// Name of the disk mount
        public var name: String
        /// Available disk size (bytes)
        public var availableBytes: UInt64? = nil
        /// Determines whether the disk is read-only
        public var isReadOnly: Bool? = nil
        /// Determines whether the disk is removable
        public var isRemovable: Bool? = nil
        /// Total disk size (bytes)
        public var totalBytes: UInt64? = nil

        public init(fileSystem: String, kind: String, mountPoint: String, name: String) {
            self.fileSystem = fileSystem
            self.kind = kind
            self.mountPoint = mountPoint
            self.name = name
        }

        enum CodingKeys: String, CodingKey {
            case fileSystem = "file_system"
            case kind = "kind"
            case mountPoint = "mount_point"
            case name = "name"
            case availableBytes = "available_bytes"
            case isReadOnly = "is_read_only"
            case isRemovable = "is_removable"
            case totalBytes = "total_bytes"
        }
    }

    /// One entry of `netdevs`.
    public struct Netdev: Codable, Sendable, Equatable {
        /// Name of the network device
        public var name: String
        /// Total bytes received
        public var recvBytes: UInt64
        /// Compressed packets received
        public var recvCompressed: UInt64
        /// Packets dropped
        public var recvDrop: UInt64
        /// Bad packets received
        public var recvErrs: UInt64
        /// FIFO overruns
        public var recvFifo: UInt64
        /// Frame alignment errors
        public var recvFrame: UInt64
        /// Multicast packets received
        public var recvMulticast: UInt64
        /// Total packets received
        public var recvPackets: UInt64
        /// Total bytes transmitted
        public var sentBytes: UInt64
        /// Number of packets not sent due to carrier errors
        public var sentCarrier: UInt64
        /// Number of collisions
        public var sentColls: UInt64
        /// Number of compressed packets transmitted
        public var sentCompressed: UInt64
        /// Number of packets dropped during transmission
        public var sentDrop: UInt64
        /// Number of transmission errors
        public var sentErrs: UInt64
        /// FIFO overruns
        public var sentFifo: UInt64
        /// Total packets transmitted
        public var sentPackets: UInt64

        public init(name: String, recvBytes: UInt64, recvCompressed: UInt64, recvDrop: UInt64, recvErrs: UInt64, recvFifo: UInt64, recvFrame: UInt64, recvMulticast: UInt64, recvPackets: UInt64, sentBytes: UInt64, sentCarrier: UInt64, sentColls: UInt64, sentCompressed: UInt64, sentDrop: UInt64, sentErrs: UInt64, sentFifo: UInt64, sentPackets: UInt64) {
            self.name = name
            self.recvBytes = recvBytes
            self.recvCompressed = recvCompressed
            self.recvDrop = recvDrop
            self.recvErrs = recvErrs
            self.recvFifo = recvFifo
            self.recvFrame = recvFrame
            self.recvMulticast = recvMulticast
            self.recvPackets = recvPackets
            self.sentBytes = sentBytes
            self.sentCarrier = sentCarrier
            self.sentColls = sentColls
            self.sentCompressed = sentCompressed
            self.sentDrop = sentDrop
            self.sentErrs = sentErrs
            self.sentFifo = sentFifo
            self.sentPackets = sentPackets
        }

        enum CodingKeys: String, CodingKey {
            case name = "name"
            case recvBytes = "recv_bytes"
            case recvCompressed = "recv_compressed"
            case recvDrop = "recv_drop"
            case recvErrs = "recv_errs"
            case recvFifo = "recv_fifo"
            case recvFrame = "recv_frame"
            case recvMulticast = "recv_multicast"
            case recvPackets = "recv_packets"
            case sentBytes = "sent_bytes"
            case sentCarrier = "sent_carrier"
            case sentColls = "sent_colls"
            case sentCompressed = "sent_compressed"
            case sentDrop = "sent_drop"
            case sentErrs = "sent_errs"
            case sentFifo = "sent_fifo"
            case sentPackets = "sent_packets"
        }
    }

    /// One entry of `thermals`.
    public struct Thermal: Codable, Sendable, Equatable {
        /// Sensor identifier for the component
        public var label: String
        /// Critical failure temperature of the component (degrees Celsius)
        public var criticalCelcius: Double? = nil
        /// Current temperature of the component (degrees Celsius)
        public var currentCelcius: Double? = nil
        /// Maximum temperature of the component (degrees Celsius)
        public var maxCelcius: Double? = nil

        public init(label: String) {
            self.label = label
        }

        enum CodingKeys: String, CodingKey {
            case label = "label"
            case criticalCelcius = "critical_celcius"
            case currentCelcius = "current_celcius"
            case maxCelcius = "max_celcius"
        }
    }

    /// One entry of `tunnels`.
    public struct Tunnel: Codable, Sendable, Equatable {
        /// Name of tunnel health state (unknown, healthy, degraded, down)
        public var healthState: String
        /// Numeric value associated with tunnel state (0 = unknown, 1 = healthy, 2 = degraded, 3 = down)
        public var healthValue: Int
        /// The tunnel interface name (i.e. xfrm1, xfrm3.99, etc.)
        public var interfaceName: String
        /// Tunnel identifier
        public var tunnelId: String
        /// MTU as measured between the two ends of the tunnel
        public var probedMtu: Int? = nil
        /// Number of recent healthy pings for this tunnel
        public var recentHealthyPings: Int? = nil
        /// Number of recent unhealthy pings for this tunnel
        public var recentUnhealthyPings: Int? = nil

        public init(healthState: String, healthValue: Int, interfaceName: String, tunnelId: String) {
            self.healthState = healthState
            self.healthValue = healthValue
            self.interfaceName = interfaceName
            self.tunnelId = tunnelId
        }

        enum CodingKeys: String, CodingKey {
            case healthState = "health_state"
            case healthValue = "health_value"
            case interfaceName = "interface_name"
            case tunnelId = "tunnel_id"
            case probedMtu = "probed_mtu"
            case recentHealthyPings = "recent_healthy_pings"
            case recentUnhealthyPings = "recent_unhealthy_pings"
        }
    }
}
