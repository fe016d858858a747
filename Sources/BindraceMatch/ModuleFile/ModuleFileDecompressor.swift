#if BINDRACE_HAVE_MODULE_FILE_LIBS && canImport(CModuleFile)
import CModuleFile

/// Bounded decompression of `.ko.xz` (liblzma) and `.ko.zst` (libzstd): the
/// output never grows past `limit` bytes, and a corrupt or truncated stream is
/// an error naming the compressed offset where decoding stopped.
enum ModuleFileDecompressor {
    /// liblzma's memory limit for the decoder (the kernel's own xz modules
    /// use small dictionaries; 256 MiB is far above any real one).
    static let xzMemoryLimit: UInt64 = 256 << 20
    /// zstd window log accepted (2^27 = 128 MiB, zstd's default maximum).
    static let zstdWindowLogMax: Int32 = 27
    /// liblzma's LZMA_CONCATENATED flag (a UINT32_C macro Swift does not import):
    /// decode concatenated .xz streams, as kmod does.
    static let lzmaConcatenated: UInt32 = 0x08

    static func initialCapacity(_ inputCount: Int, limit: Int) -> Int {
        min(limit, max(1 << 16, inputCount.multipliedReportingOverflow(by: 4).overflow ? limit : inputCount * 4))
    }

    static func xz(_ input: [UInt8], path: String, limit: Int) throws(MatchInputError) -> [UInt8] {
        var stream = lzma_stream()
        guard lzma_stream_decoder(&stream, xzMemoryLimit, lzmaConcatenated) == LZMA_OK else {
            throw MatchInputError(file: path, message: "cannot start the xz decoder")
        }
        defer { lzma_end(&stream) }
        var output = [UInt8](repeating: 0, count: initialCapacity(input.count, limit: limit))
        var produced = 0
        var failure: (Int, String)? = nil
        input.withUnsafeBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = inBuf.count
            while true {
                if produced == output.count {
                    guard output.count < limit else {
                        failure = (Int(stream.total_in), "decompressed module larger than \(limit) bytes, refused")
                        return
                    }
                    output += [UInt8](repeating: 0, count: min(output.count, limit - output.count))
                }
                let ret: lzma_ret = output.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress! + produced
                    stream.avail_out = outBuf.count - produced
                    let r = lzma_code(&stream, LZMA_FINISH)
                    produced = outBuf.count - stream.avail_out
                    return r
                }
                switch ret {
                case LZMA_OK: continue
                case LZMA_STREAM_END: return
                case LZMA_BUF_ERROR:
                    if stream.avail_out == 0 { continue }
                    failure = (Int(stream.total_in), "truncated xz data")
                    return
                default:
                    failure = (Int(stream.total_in), xzMessage(ret))
                    return
                }
            }
        }
        if let (offset, message) = failure { throw MatchInputError(file: path, offset: offset, message: message) }
        output.removeSubrange(produced...)
        return output
    }

    static func xzMessage(_ ret: lzma_ret) -> String {
        switch ret {
        case LZMA_FORMAT_ERROR: "not xz data"
        case LZMA_DATA_ERROR: "corrupt xz data"
        case LZMA_OPTIONS_ERROR: "unsupported xz options"
        case LZMA_MEMLIMIT_ERROR: "xz stream needs more than \(xzMemoryLimit) bytes of decoder memory, refused"
        case LZMA_MEM_ERROR: "out of memory decoding xz data"
        case LZMA_UNSUPPORTED_CHECK: "unsupported xz integrity check"
        default: "xz decoder error \(ret.rawValue)"
        }
    }

    static func zstd(_ input: [UInt8], path: String, limit: Int) throws(MatchInputError) -> [UInt8] {
        guard let context = ZSTD_createDCtx() else { throw MatchInputError(file: path, message: "cannot start the zstd decoder") }
        defer { ZSTD_freeDCtx(context) }
        _ = ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, zstdWindowLogMax)
        var output = [UInt8](repeating: 0, count: initialCapacity(input.count, limit: limit))
        var produced = 0
        var failure: (Int, String)? = nil
        input.withUnsafeBufferPointer { inBuf in
            var source = ZSTD_inBuffer(src: UnsafeRawPointer(inBuf.baseAddress), size: inBuf.count, pos: 0)
            var lastResult = 1
            var frameStart = 0
            while true {
                if lastResult == 0 { frameStart = source.pos }
                if source.pos == source.size && lastResult == 0 { return }
                if produced == output.count {
                    guard output.count < limit else {
                        failure = (source.pos, "decompressed module larger than \(limit) bytes, refused")
                        return
                    }
                    output += [UInt8](repeating: 0, count: min(output.count, limit - output.count))
                }
                let before = (source.pos, produced)
                let result: Int = output.withUnsafeMutableBufferPointer { outBuf in
                    var target = ZSTD_outBuffer(dst: UnsafeMutableRawPointer(outBuf.baseAddress!), size: outBuf.count, pos: produced)
                    let r = ZSTD_decompressStream(context, &target, &source)
                    produced = target.pos
                    return r
                }
                if ZSTD_isError(result) != 0 {
                    failure = (max(before.0, frameStart), "corrupt zstd data in the frame starting here (" + String(cString: ZSTD_getErrorName(result)) + ")")
                    return
                }
                lastResult = result
                if source.pos == source.size && produced < output.count && result != 0 && before == (source.pos, produced) {
                    failure = (source.pos, "truncated zstd data")
                    return
                }
            }
        }
        if let (offset, message) = failure { throw MatchInputError(file: path, offset: offset, message: message) }
        output.removeSubrange(produced...)
        return output
    }
}
#endif
