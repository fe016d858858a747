#ifndef CBINDRACE_CPU_H
#define CBINDRACE_CPU_H

// What the running CPU offers, asked before any code built for more than
// the architecture's baseline runs. This target itself is built for the
// baseline.

/// 1 when the CPU has what an x86-64-v2 build uses (SSE4.2, POPCNT); 1 on
/// any other architecture.
int bindrace_cpu_has_x86_64_v2(void);

#endif
