#ifndef CBINDRACE_CRC_INTERNAL_H
#define CBINDRACE_CRC_INTERNAL_H

// Shared by the implementations. Every function here works on the raw CRC
// register: the caller applies the pre- and post-inversion once.

#include <stddef.h>
#include <stdint.h>

#define BINDRACE_HIDDEN __attribute__((visibility("hidden")))

#define BINDRACE_CRC32C_POLY 0x82F63B78u

// Bytes per stream when three streams run side by side: long blocks for
// chunk payloads, short ones for what is left. Both combine through tables.
#define BINDRACE_CRC32C_LONG 8192
#define BINDRACE_CRC32C_SHORT 256

typedef uint32_t (*bindrace_crc32c_fn)(uint32_t crc, const unsigned char *p, size_t length);

/// Builds the tables below; must run (once) before any function here.
BINDRACE_HIDDEN void bindrace_crc32c_init_tables(void);

/// Slicing-by-8 tables; [0] is the plain byte-at-a-time table.
BINDRACE_HIDDEN extern uint32_t bindrace_crc32c_table[8][256];

/// Moves a register past LONG (or SHORT) zero bytes, a byte of the register
/// per table. This is what joins the three streams of a block.
BINDRACE_HIDDEN extern uint32_t bindrace_crc32c_long_shift[4][256];
BINDRACE_HIDDEN extern uint32_t bindrace_crc32c_short_shift[4][256];

static inline uint32_t bindrace_crc32c_shift(const uint32_t table[4][256], uint32_t crc) {
    return table[0][crc & 0xff] ^ table[1][(crc >> 8) & 0xff]
        ^ table[2][(crc >> 16) & 0xff] ^ table[3][crc >> 24];
}

BINDRACE_HIDDEN uint32_t bindrace_crc32c_portable(uint32_t crc, const unsigned char *p, size_t length);

#if defined(__x86_64__)
BINDRACE_HIDDEN int bindrace_crc32c_x86_available(void);
BINDRACE_HIDDEN uint32_t bindrace_crc32c_x86(uint32_t crc, const unsigned char *p, size_t length);
/// Folding by carry-less multiplication (AVX-512 VPCLMULQDQ); its factors
/// must be built (once) before it runs.
BINDRACE_HIDDEN int bindrace_crc32c_fold_available(void);
BINDRACE_HIDDEN void bindrace_crc32c_init_fold(void);
BINDRACE_HIDDEN uint32_t bindrace_crc32c_x86_fold(uint32_t crc, const unsigned char *p, size_t length);
#endif

#if defined(__aarch64__)
BINDRACE_HIDDEN int bindrace_crc32c_arm_available(void);
BINDRACE_HIDDEN uint32_t bindrace_crc32c_arm(uint32_t crc, const unsigned char *p, size_t length);
#endif

#endif
