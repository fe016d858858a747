#ifndef CBINDRACE_PREFETCH_H
#define CBINDRACE_PREFETCH_H

// A cache prefetch hint, which Swift cannot express. Hints only: a wrong or
// stale address costs nothing but the bandwidth (prefetches never fault).

/// Brings the line at `address` towards this core's caches, to be written.
static inline void bindrace_prefetch_write(const void *_Nonnull address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
