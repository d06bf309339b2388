// Zstandard compression of the store's step chunks, through libzstd. One codec per writer or
// reader reuses its compression context and output buffer, so compressing a chunk allocates
// only the blob that goes to SQLite. Frames carry zstd's checksum, so a damaged blob is
// reported as damaged instead of decoding to wrong pixels.
import CZstd
import Foundation

/// Compresses and decompresses chunk blobs with zstd.
final class TrajectoryStoreCodec {
    /// zstd level 3 (its default): fast enough that recording stays a small fraction of a step.
    static let level: Int32 = 3
    /// A window of 8 MiB covers a whole chunk; with long-distance matching (enabled below) a
    /// frame finds its twin in the previous steps and the render column finds the observation
    /// column when they are the same image (2-3x fewer bytes, see BENCHMARKS.md, the store section).
    static let windowLog: Int32 = 23

    private let compressContext: OpaquePointer
    private let decompressContext: OpaquePointer
    private var output: [UInt8] = []

    init() {
        guard let c = ZSTD_createCCtx(), let d = ZSTD_createDCtx() else {
            preconditionFailure("TrajectoryStoreCodec: ZSTD_createCCtx/ZSTD_createDCtx returned nil (out of memory)")
        }
        compressContext = c
        decompressContext = d
        ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, Self.level)
        ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, Self.windowLog)
        ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1)
        ZSTD_CCtx_setParameter(c, ZSTD_c_enableLongDistanceMatching, 1)
    }

    deinit {
        ZSTD_freeCCtx(compressContext)
        ZSTD_freeDCtx(decompressContext)
    }

    /// Compresses the concatenation of `segments` into one zstd frame: the columns of a chunk
    /// are fed one after another without first copying them together.
    func compress(_ segments: [UnsafeRawBufferPointer]) -> Data {
        let total = segments.reduce(0) { $0 + $1.count }
        let bound = ZSTD_compressBound(total)
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        ZSTD_CCtx_reset(compressContext, ZSTD_reset_session_only)
        ZSTD_CCtx_setPledgedSrcSize(compressContext, UInt64(total))
        let written = output.withUnsafeMutableBytes { out -> Int in
            var outBuffer = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
            for (index, segment) in segments.enumerated() {
                let last = index == segments.count - 1
                var inBuffer = ZSTD_inBuffer(src: segment.baseAddress, size: segment.count, pos: 0)
                while true {
                    let remaining = ZSTD_compressStream2(compressContext, &outBuffer, &inBuffer,
                                                         last ? ZSTD_e_end : ZSTD_e_continue)
                    precondition(ZSTD_isError(remaining) == 0,
                                 "zstd compression failed: \(String(cString: ZSTD_getErrorName(remaining)))")
                    if last ? remaining == 0 : inBuffer.pos == inBuffer.size { break }
                }
            }
            if segments.isEmpty {
                var empty = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
                while ZSTD_compressStream2(compressContext, &outBuffer, &empty, ZSTD_e_end) != 0 {}
            }
            return outBuffer.pos
        }
        return output.withUnsafeBytes { Data($0.prefix(written)) }
    }

    /// Decompresses `blob` into `destination`, which must be exactly the chunk's raw size.
    /// Returns nil on success, else a description of the damage (the blob is not a whole,
    /// valid zstd frame of that size).
    func decompress(_ blob: Data, into destination: UnsafeMutableRawBufferPointer) -> String? {
        let result = blob.withUnsafeBytes { source in
            ZSTD_decompressDCtx(decompressContext, destination.baseAddress, destination.count,
                                source.baseAddress, source.count)
        }
        if ZSTD_isError(result) != 0 {
            return "zstd: " + String(cString: ZSTD_getErrorName(result))
        }
        if result != destination.count {
            return "chunk decompressed to \(result) bytes, expected \(destination.count)"
        }
        return nil
    }
}
