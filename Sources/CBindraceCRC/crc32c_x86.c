#if defined(__x86_64__)

#include <nmmintrin.h>
#include <string.h>

#include "crc32c_internal.h"

// Compiled for SSE4.2 function by function, so the target itself needs no
// flags and still runs on a machine without it (the dispatcher checks first).
#define SSE42 __attribute__((target("sse4.2")))

int bindrace_crc32c_x86_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
}

static inline SSE42 uint64_t load64(const unsigned char *p) {
    uint64_t word;
    memcpy(&word, p, 8);
    return word;
}

// The instruction has a latency of three cycles but issues one per cycle:
// three independent streams keep it busy, and the tables join them.
static inline SSE42 const unsigned char *three_streams(uint32_t *crc, const unsigned char *p, size_t *length,
                                                       size_t block, const uint32_t shift[4][256]) {
    while (*length >= 3 * block) {
        uint64_t c0 = *crc, c1 = 0, c2 = 0;
        const unsigned char *end = p + block;
        do {
            c0 = _mm_crc32_u64(c0, load64(p));
            c1 = _mm_crc32_u64(c1, load64(p + block));
            c2 = _mm_crc32_u64(c2, load64(p + 2 * block));
            p += 8;
        } while (p < end);
        uint32_t joined = bindrace_crc32c_shift(shift, (uint32_t)c0) ^ (uint32_t)c1;
        *crc = bindrace_crc32c_shift(shift, joined) ^ (uint32_t)c2;
        p += 2 * block;
        *length -= 3 * block;
    }
    return p;
}

SSE42 uint32_t bindrace_crc32c_x86(uint32_t crc, const unsigned char *p, size_t length) {
    while (length > 0 && ((uintptr_t)p & 7) != 0) {
        crc = _mm_crc32_u8(crc, *p++);
        length--;
    }
    p = three_streams(&crc, p, &length, BINDRACE_CRC32C_LONG, bindrace_crc32c_long_shift);
    p = three_streams(&crc, p, &length, BINDRACE_CRC32C_SHORT, bindrace_crc32c_short_shift);
    uint64_t c = crc;
    while (length >= 8) {
        c = _mm_crc32_u64(c, load64(p));
        p += 8;
        length -= 8;
    }
    crc = (uint32_t)c;
    while (length > 0) {
        crc = _mm_crc32_u8(crc, *p++);
        length--;
    }
    return crc;
}

#endif
