#include "crc32c_internal.h"

uint32_t bindrace_crc32c_table[8][256];
uint32_t bindrace_crc32c_long_shift[4][256];
uint32_t bindrace_crc32c_short_shift[4][256];

// A linear map on the 32-bit register, as the images of its 32 unit vectors.
typedef struct {
    uint32_t column[32];
} crc_operator;

static uint32_t apply(const crc_operator *op, uint32_t v) {
    uint32_t result = 0;
    for (int bit = 0; v != 0; bit++, v >>= 1) {
        if (v & 1) result ^= op->column[bit];
    }
    return result;
}

// first, then second.
static crc_operator compose(const crc_operator *first, const crc_operator *second) {
    crc_operator result;
    for (int bit = 0; bit < 32; bit++) result.column[bit] = apply(second, first->column[bit]);
    return result;
}

// The register after `bytes` zero bytes, by squaring the one-byte step, so
// building the tables costs microseconds whatever the block length.
static crc_operator zeros_operator(size_t bytes) {
    crc_operator step, result;
    for (int bit = 0; bit < 32; bit++) {
        uint32_t crc = 1u << bit;
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ BINDRACE_CRC32C_POLY : crc >> 1;
        step.column[bit] = crc;
        result.column[bit] = 1u << bit;
    }
    while (bytes != 0) {
        if (bytes & 1) result = compose(&result, &step);
        step = compose(&step, &step);
        bytes >>= 1;
    }
    return result;
}

static void fill_shift_table(uint32_t table[4][256], size_t bytes) {
    crc_operator op = zeros_operator(bytes);
    for (int k = 0; k < 4; k++) {
        for (uint32_t b = 0; b < 256; b++) table[k][b] = apply(&op, b << (8 * k));
    }
}

void bindrace_crc32c_init_tables(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t crc = i;
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ BINDRACE_CRC32C_POLY : crc >> 1;
        bindrace_crc32c_table[0][i] = crc;
    }
    for (int t = 1; t < 8; t++) {
        for (int i = 0; i < 256; i++) {
            uint32_t previous = bindrace_crc32c_table[t - 1][i];
            bindrace_crc32c_table[t][i] = (previous >> 8) ^ bindrace_crc32c_table[0][previous & 0xff];
        }
    }
    fill_shift_table(bindrace_crc32c_long_shift, BINDRACE_CRC32C_LONG);
    fill_shift_table(bindrace_crc32c_short_shift, BINDRACE_CRC32C_SHORT);
}
