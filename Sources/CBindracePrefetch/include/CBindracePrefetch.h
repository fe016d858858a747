#ifndef CBINDRACE_PREFETCH_H
#define CBINDRACE_PREFETCH_H

// Cache prefetch hints, which Swift cannot express. Hints only: a wrong or
// stale address costs nothing but the bandwidth (prefetches never fault,
// and one to a page not mapped yet is dropped).

/// Brings the line at `address` towards this core's caches, to be written.
static inline void bindrace_prefetch_write(const void *_Nonnull address) {
    __builtin_prefetch(address, 1, 3);
}

/// Brings the line at `address` into this core's second-level cache, to be
/// read soon but not at once.
static inline void bindrace_prefetch_read_soon(const void *_Nonnull address) {
    __builtin_prefetch(address, 0, 2);
}

#endif
