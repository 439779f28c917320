import CNftables
import Foundation

/// An nftables context (libnftables). Commands run in the network namespace of the calling thread, so
/// create and use it on a `NamespaceThread` to work in another namespace. `nft -f` semantics: one
/// buffer is one transaction, applied whole or not at all. Not safe for concurrent use.
public final class Nftables {
    private let context: OpaquePointer

    public init() throws {
        guard let context = nft_ctx_new(0) else {
            throw NetlinkError(operation: "create nftables context", code: ENOMEM, message: "out of memory")
        }
        nft_ctx_buffer_output(context)
        nft_ctx_buffer_error(context)
        self.context = context
    }

    deinit { nft_ctx_free(context) }

    /// Runs `commands` (nft syntax, several lines) as one transaction and returns what nft printed.
    @discardableResult
    public func run(_ commands: String, json: Bool = false) throws -> String {
        nft_ctx_output_set_flags(context, json ? 1 << 4 : 0)  // NFT_CTX_OUTPUT_JSON
        let result = nft_run_cmd_from_buffer(context, commands)
        let output = nft_ctx_get_output_buffer(context).map { String(cString: $0) } ?? ""
        let error = nft_ctx_get_error_buffer(context).map { String(cString: $0) } ?? ""
        guard result == 0 else {
            throw NetlinkError(operation: "nft", code: EINVAL, message: error.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return output
    }
}
