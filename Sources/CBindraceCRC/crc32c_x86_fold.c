#if defined(__x86_64__)

#include <immintrin.h>

#include "crc32c_internal.h"

// CRC-32C by folding with carry-less multiplication, sixteen 128-bit lanes
// at once (AVX-512 VPCLMULQDQ). The CRC instruction handles eight bytes a
// cycle at best (three streams, about 23 GB/s here over a chunk in the
// caches); folding handles about three times that, which matters for the
// reader's thread: it verifies each chunk it reads from the caches (the
// clock stage asked for its lines ahead), and that thread bounds the stream.
//
// The register and the data are bit-reflected. A 128-bit lane L at some
// place of the message stands for L(x) times a power of x; moving it D bits
// further on multiplies it by x^D, and congruence mod P is all the CRC
// needs: its 64-bit halves H0 (first in the message) and H1 become
// H0·(x^(64+D) mod P) + H1·(x^D mod P), a 96-bit value that is xored into
// the lane D bits on. A carry-less product of two reflected 64-bit values,
// read as a reflected 128-bit one, comes out multiplied by x, so each factor
// is x^(n-1) mod P, reflected, in the upper half of its 64 bits.
// Compiled for the extension function by function; the dispatcher checks
// the CPU (and that the system saves its registers) first.
#define FOLD __attribute__((target("avx512f,vpclmulqdq,pclmul,sse4.2")))

// Distances a lane is moved: the main loop's (four 512-bit registers on),
// then those that gather the registers into one and its lanes into one.
enum { BY_2048, BY_1536, BY_1024, BY_512, BY_384, BY_256, BY_128, DISTANCES };
static const unsigned distance_bits[DISTANCES] = {2048, 1536, 1024, 512, 384, 256, 128};

// Per distance: the factors for the lane's first and second halves.
static uint64_t factors[DISTANCES][2];

// x^n mod P, P the unreflected polynomial (x^32 + 0x1EDC6F41).
static uint32_t x_power_mod(unsigned n) {
    uint32_t r = 1;
    while (n--) r = (r << 1) ^ ((r & 0x80000000u) ? 0x1EDC6F41u : 0);
    return r;
}

static uint32_t reflect32(uint32_t v) {
    uint32_t r = 0;
    for (int i = 0; i < 32; i++) r |= ((v >> i) & 1u) << (31 - i);
    return r;
}

static uint64_t factor(unsigned n) { return (uint64_t)reflect32(x_power_mod(n - 1)) << 32; }

void bindrace_crc32c_init_fold(void) {
    for (int d = 0; d < DISTANCES; d++) {
        factors[d][0] = factor(64 + distance_bits[d]);
        factors[d][1] = factor(distance_bits[d]);
    }
}

// Whether the system saves the AVX-512 registers across context switches
// (XCR0: SSE, AVX, opmask and both halves of the upper registers), asked
// apart from the CPU's features: a kernel or hypervisor may leave them off.
static int system_saves_avx512(void) {
    unsigned int eax, ebx, ecx, edx;
    __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(1), "c"(0));
    if (!(ecx & (1u << 27))) return 0;  // OSXSAVE: XGETBV usable
    unsigned int low, high;
    __asm__("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return (low & 0xE6u) == 0xE6u;
}

int bindrace_crc32c_fold_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("vpclmulqdq")
        && __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.2") && system_saves_avx512();
}

static inline FOLD __m128i factors128(int d) {
    return _mm_set_epi64x((long long)factors[d][1], (long long)factors[d][0]);
}

static inline FOLD __m512i factors512(int d) { return _mm512_broadcast_i32x4(factors128(d)); }

// Each 128-bit lane of `lanes` moved on by the distance of `k`, xored into `onto`.
static inline FOLD __m512i fold512(__m512i lanes, __m512i k, __m512i onto) {
    __m512i first = _mm512_clmulepi64_epi128(lanes, k, 0x00);
    __m512i second = _mm512_clmulepi64_epi128(lanes, k, 0x11);
    return _mm512_ternarylogic_epi64(first, second, onto, 0x96);
}

static inline FOLD __m128i fold128(__m128i lane, __m128i k, __m128i onto) {
    __m128i first = _mm_clmulepi64_si128(lane, k, 0x00);
    __m128i second = _mm_clmulepi64_si128(lane, k, 0x11);
    return _mm_xor_si128(_mm_xor_si128(first, second), onto);
}

// Shorter inputs take the CRC instruction: folding's set-up and final
// reduction cost more than they save below a few hundred bytes.
#define FOLD_MINIMUM 512

FOLD uint32_t bindrace_crc32c_x86_fold(uint32_t crc, const unsigned char *p, size_t length) {
    if (length < FOLD_MINIMUM) return bindrace_crc32c_x86(crc, p, length);
    __m512i r0 = _mm512_loadu_si512(p), r1 = _mm512_loadu_si512(p + 64);
    __m512i r2 = _mm512_loadu_si512(p + 128), r3 = _mm512_loadu_si512(p + 192);
    // The register enters as the first 32 bits of the message (zero-extended:
    // a cast leaves the upper lanes undefined, which unoptimized builds fill).
    r0 = _mm512_xor_si512(r0, _mm512_zextsi128_si512(_mm_cvtsi32_si128((int)crc)));
    p += 256;
    length -= 256;
    const __m512i by2048 = factors512(BY_2048);
    while (length >= 256) {
        r0 = fold512(r0, by2048, _mm512_loadu_si512(p));
        r1 = fold512(r1, by2048, _mm512_loadu_si512(p + 64));
        r2 = fold512(r2, by2048, _mm512_loadu_si512(p + 128));
        r3 = fold512(r3, by2048, _mm512_loadu_si512(p + 192));
        p += 256;
        length -= 256;
    }
    r3 = fold512(r0, factors512(BY_1536), r3);
    r3 = fold512(r1, factors512(BY_1024), r3);
    r3 = fold512(r2, factors512(BY_512), r3);
    __m128i lane = _mm512_extracti32x4_epi32(r3, 3);
    lane = fold128(_mm512_extracti32x4_epi32(r3, 0), factors128(BY_384), lane);
    lane = fold128(_mm512_extracti32x4_epi32(r3, 1), factors128(BY_256), lane);
    lane = fold128(_mm512_extracti32x4_epi32(r3, 2), factors128(BY_128), lane);
    const __m128i by128 = factors128(BY_128);
    while (length >= 16) {
        lane = fold128(lane, by128, _mm_loadu_si128((const __m128i *)p));
        p += 16;
        length -= 16;
    }
    // The lane's CRC is the register's: two steps of the instruction from zero.
    uint64_t c = _mm_crc32_u64(0, (uint64_t)_mm_cvtsi128_si64(lane));
    c = _mm_crc32_u64(c, (uint64_t)_mm_extract_epi64(lane, 1));
    return bindrace_crc32c_x86((uint32_t)c, p, length);
}

#endif
