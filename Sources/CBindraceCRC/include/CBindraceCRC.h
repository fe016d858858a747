#ifndef CBINDRACE_CRC_H
#define CBINDRACE_CRC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) of `length` bytes
/// at `data`, continuing from `previous`: the result of an earlier call, or 0
/// for a fresh checksum. Chained calls give the checksum of the concatenation.
/// `data` may be NULL when `length` is 0.
uint32_t bindrace_crc32c_update(uint32_t previous, const void *_Nullable data, size_t length);

/// 1 when this machine's CRC-32C instruction is used, 0 for the table fallback.
int bindrace_crc32c_uses_hardware(void);

/// 1 when long inputs are folded by carry-less multiplication (AVX-512
/// VPCLMULQDQ) rather than fed to the CRC instruction.
int bindrace_crc32c_folds(void);

/// The CRC instruction alone (or the table fallback) where folding is
/// chosen, so that each path is tested against the other.
uint32_t bindrace_crc32c_update_unfolded(uint32_t previous, const void *_Nullable data, size_t length);

/// The table fallback whatever the CPU, so it is tested on machines that
/// never choose it.
uint32_t bindrace_crc32c_update_portable(uint32_t previous, const void *_Nullable data, size_t length);

#ifdef __cplusplus
}
#endif

#endif
