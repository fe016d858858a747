#if defined(__aarch64__)

#include <arm_acle.h>
#include <string.h>

#if defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif
#elif defined(__APPLE__)
#include <sys/sysctl.h>
#endif

#include "crc32c_internal.h"

// Compiled for the CRC extension function by function; the dispatcher
// checks the CPU before using any of it.
#define CRC_EXT __attribute__((target("crc")))

int bindrace_crc32c_arm_available(void) {
#if defined(__linux__)
    return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0;
#elif defined(__APPLE__)
    int value = 0;
    size_t size = sizeof value;
    return sysctlbyname("hw.optional.armv8_crc32", &value, &size, NULL, 0) == 0 && value != 0;
#else
    return 0;
#endif
}

static inline CRC_EXT uint64_t load64(const unsigned char *p) {
    uint64_t word;
    memcpy(&word, p, 8);
    return word;
}

// Three independent streams hide the instruction's latency; the tables join them.
static inline CRC_EXT const unsigned char *three_streams(uint32_t *crc, const unsigned char *p, size_t *length,
                                                         size_t block, const uint32_t shift[4][256]) {
    while (*length >= 3 * block) {
        uint32_t c0 = *crc, c1 = 0, c2 = 0;
        const unsigned char *end = p + block;
        do {
            c0 = __crc32cd(c0, load64(p));
            c1 = __crc32cd(c1, load64(p + block));
            c2 = __crc32cd(c2, load64(p + 2 * block));
            p += 8;
        } while (p < end);
        uint32_t joined = bindrace_crc32c_shift(shift, c0) ^ c1;
        *crc = bindrace_crc32c_shift(shift, joined) ^ c2;
        p += 2 * block;
        *length -= 3 * block;
    }
    return p;
}

CRC_EXT uint32_t bindrace_crc32c_arm(uint32_t crc, const unsigned char *p, size_t length) {
    while (length > 0 && ((uintptr_t)p & 7) != 0) {
        crc = __crc32cb(crc, *p++);
        length--;
    }
    p = three_streams(&crc, p, &length, BINDRACE_CRC32C_LONG, bindrace_crc32c_long_shift);
    p = three_streams(&crc, p, &length, BINDRACE_CRC32C_SHORT, bindrace_crc32c_short_shift);
    while (length >= 8) {
        crc = __crc32cd(crc, load64(p));
        p += 8;
        length -= 8;
    }
    while (length > 0) {
        crc = __crc32cb(crc, *p++);
        length--;
    }
    return crc;
}

#endif
