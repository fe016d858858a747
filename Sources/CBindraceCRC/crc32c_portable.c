#include <string.h>

#include "crc32c_internal.h"

// Slicing-by-8 for machines without a CRC instruction; byte at a time on
// big-endian ones, where the 8-byte load would see the bytes reversed.
uint32_t bindrace_crc32c_portable(uint32_t crc, const unsigned char *p, size_t length) {
    const uint32_t (*t)[256] = bindrace_crc32c_table;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        word ^= crc;
        crc = t[7][word & 0xff] ^ t[6][(word >> 8) & 0xff]
            ^ t[5][(word >> 16) & 0xff] ^ t[4][(word >> 24) & 0xff]
            ^ t[3][(word >> 32) & 0xff] ^ t[2][(word >> 40) & 0xff]
            ^ t[1][(word >> 48) & 0xff] ^ t[0][word >> 56];
        p += 8;
        length -= 8;
    }
#endif
    while (length > 0) {
        crc = (crc >> 8) ^ t[0][(crc ^ *p) & 0xff];
        p++;
        length--;
    }
    return crc;
}
