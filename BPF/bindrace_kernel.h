/* The few kernel types the probes read, declared by hand for CO-RE.
 *
 * Only the fields used are declared; with preserve_access_index libbpf
 * relocates every access against the running kernel's BTF by field name, so
 * order, size and the missing fields do not matter. Not a generated
 * vmlinux.h on purpose: it stays small and reviewable.
 */
#ifndef BINDRACE_KERNEL_H
#define BINDRACE_KERNEL_H

/* bpf_tracing.h reads the kernel's pt_regs field names when this is set. */
#define __VMLINUX_H__

typedef unsigned char __u8;
typedef signed char __s8;
typedef unsigned short __u16;
typedef short __s16;
typedef unsigned int __u32;
typedef int __s32;
typedef unsigned long long __u64;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
#define true 1
#define false 0
typedef __u64 u64;
typedef __u32 u32;
typedef int pid_t;
typedef unsigned long size_t;
typedef long ssize_t;
typedef __u64 async_cookie_t;

enum bpf_map_type {
    BPF_MAP_TYPE_HASH = 1,
    BPF_MAP_TYPE_ARRAY = 2,
    BPF_MAP_TYPE_PERCPU_ARRAY = 6,
    BPF_MAP_TYPE_RINGBUF = 27,
};

enum {
    BPF_ANY = 0,
};

struct bpf_raw_tracepoint_args {
    __u64 args[0];
};

#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)

/* x86-64 registers, for the kprobe fallbacks (bpf_tracing.h's PT_REGS_*). */
struct pt_regs {
    unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
    unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};

struct kobject {
    const char *name;
    struct kobject *parent;
};

struct bus_type {
    const char *name;
};

enum probe_type {
    PROBE_DEFAULT_STRATEGY,
    PROBE_PREFER_ASYNCHRONOUS,
    PROBE_FORCE_SYNCHRONOUS,
};

struct device_driver {
    const char *name;
    struct bus_type *bus;
    enum probe_type probe_type;
};

struct device {
    struct kobject kobj;
    struct device *parent;
    const char *init_name;
    struct bus_type *bus;
    struct device_driver *driver;
};

struct pci_sriov {
    bool drivers_autoprobe;
};

struct pci_dev {
    unsigned short vendor;
    unsigned short device;
    unsigned short subsystem_vendor;
    unsigned short subsystem_device;
    unsigned int class;
    struct device dev;
    unsigned int is_virtfn:1;
    union {
        struct pci_sriov *sriov;
        struct pci_dev *physfn;
    };
    const char *driver_override;
};

struct pci_driver {
    const char *name;
    struct device_driver driver;
};

struct module {
    char name[56];
};

struct task_struct {
    pid_t pid;
    pid_t tgid;
    int exit_code;
};

struct linux_binprm {
    const char *filename;
};

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);
struct work_struct {
    work_func_t func;
};

struct async_entry {
    struct work_struct work;
    async_cookie_t cookie;
    void *func;
    void *data;
};

struct sock {
    __u16 sk_protocol;
};

struct sk_buff {
    unsigned int len;
    unsigned char *data;
};

#pragma clang attribute pop

#endif
