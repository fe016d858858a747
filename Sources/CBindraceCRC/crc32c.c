#include <pthread.h>

#include "CBindraceCRC.h"
#include "crc32c_internal.h"

static pthread_once_t chosen_once = PTHREAD_ONCE_INIT;
static bindrace_crc32c_fn chosen = bindrace_crc32c_portable;
static int chosen_is_hardware = 0;
static int chosen_folds = 0;

// Once per process: the tables every path needs, then the fastest path this
// CPU supports.
static void choose(void) {
    bindrace_crc32c_init_tables();
#if defined(__x86_64__)
    if (bindrace_crc32c_x86_available()) {
        chosen = bindrace_crc32c_x86;
        chosen_is_hardware = 1;
    }
    if (chosen_is_hardware && bindrace_crc32c_fold_available()) {
        bindrace_crc32c_init_fold();
        chosen = bindrace_crc32c_x86_fold;
        chosen_folds = 1;
    }
#elif defined(__aarch64__)
    if (bindrace_crc32c_arm_available()) {
        chosen = bindrace_crc32c_arm;
        chosen_is_hardware = 1;
    }
#endif
}

uint32_t bindrace_crc32c_update(uint32_t previous, const void *data, size_t length) {
    if (length == 0) return previous;
    pthread_once(&chosen_once, choose);
    return ~chosen(~previous, (const unsigned char *)data, length);
}

int bindrace_crc32c_uses_hardware(void) {
    pthread_once(&chosen_once, choose);
    return chosen_is_hardware;
}

int bindrace_crc32c_folds(void) {
    pthread_once(&chosen_once, choose);
    return chosen_folds;
}

uint32_t bindrace_crc32c_update_unfolded(uint32_t previous, const void *data, size_t length) {
    if (length == 0) return previous;
    pthread_once(&chosen_once, choose);
#if defined(__x86_64__)
    if (chosen_folds) return ~bindrace_crc32c_x86(~previous, (const unsigned char *)data, length);
#endif
    return ~chosen(~previous, (const unsigned char *)data, length);
}

uint32_t bindrace_crc32c_update_portable(uint32_t previous, const void *data, size_t length) {
    if (length == 0) return previous;
    pthread_once(&chosen_once, choose);
    return ~bindrace_crc32c_portable(~previous, (const unsigned char *)data, length);
}
