/* The record the BPF programs put into the ring buffer, shared by the BPF
 * programs (BPF/bindrace.bpf.c) and the Swift loader (through the CLibBPF
 * module), so both sides agree on every offset.
 *
 * A record is either short (the fixed part, BINDRACE_RECORD_SHORT bytes: task
 * context and numeric fields) or full (sizeof(struct bindrace_record): with
 * three strings). The ring buffer reports each record's length; the reader
 * treats missing string fields as empty.
 *
 * `kind` uses the trace format's event kind numbers (EventKind in the Swift
 * trace model), except where noted; the slot use per kind is listed below.
 */
#ifndef BINDRACE_RECORD_H
#define BINDRACE_RECORD_H

#ifdef __bpf__
/* BPF side: the kernel-style fixed-width types come from the CO-RE header. */
#else
#include <linux/types.h>
#endif

#define BINDRACE_COMM_LEN 16
#define BINDRACE_S0_LEN 64
#define BINDRACE_S1_LEN 64
#define BINDRACE_S2_LEN 128

struct bindrace_record {
    __u64 timestamp;          /* bpf_ktime_get_ns: CLOCK_MONOTONIC */
    __u64 u0;                 /* cookie, seqnum, work pointer, count */
    __u64 u1;                 /* a kernel function address */
    __u32 pid;                /* tgid */
    __u32 tid;
    __u32 n[6];               /* numeric fields */
    __s32 result;             /* a kernel return value */
    __u16 cpu;
    __u8 kind;                /* enum bindrace_kind */
    __u8 flags;               /* BINDRACE_F_* */
    char comm[BINDRACE_COMM_LEN];
    /* Full records only: */
    char s0[BINDRACE_S0_LEN]; /* device, module, or the primary name */
    char s1[BINDRACE_S1_LEN]; /* driver, bus or subsystem */
    char s2[BINDRACE_S2_LEN]; /* devpath, file name, or a sysfs write's text */
};

#define BINDRACE_RECORD_SHORT 80
#define BINDRACE_RECORD_FULL 336

/* A uevent record is the fixed part followed by the uevent's netlink
 * message as the kernel broadcast it ("ACTION@DEVPATH\0ACTION=...\0
 * DEVPATH=...\0SUBSYSTEM=...\0...SEQNUM=...\0"), n[0] bytes of it. */
#define BINDRACE_UEVENT_MSG_LEN 1024
#define BINDRACE_RECORD_UEVENT (BINDRACE_RECORD_SHORT + BINDRACE_UEVENT_MSG_LEN)

/* Kinds. Where a value equals an EventKind raw value it means that event. */
enum bindrace_kind {
    BR_PROCESS_FORK = 1,      /* n0 child tgid, n1 child tid, F_THREAD */
    BR_PROCESS_EXEC = 2,      /* s2 file name */
    BR_PROCESS_EXIT = 3,      /* result exit code */
    BR_PROCESS_WAIT = 4,      /* n0 reaped pid (kernel_wait4's return) */
    BR_MODULE_LOAD = 10,      /* s0 module */
    BR_MODULE_REQUEST = 11,   /* s0 name, F_WAIT */
    BR_MODULE_INIT_DONE = 12, /* s0 module, result */
    BR_DRIVER_REGISTER_START = 20, /* s1 driver, s0 bus, n0 probe_type */
    BR_DRIVER_REGISTER_END = 21,   /* s1 driver, s0 bus, result */
    BR_DYNAMIC_ID_ADDED = 22, /* s1 driver, n0..n5 vendor device subvendor subdevice class class_mask */
    BR_DEVICE_ADD = 30,       /* s0 device, s1 bus, s2 devpath, F_PCI_IDS: n0 vendor n1 device n2 subvendor n3 subdevice n4 class, F_VIRTFN, F_AUTOPROBE */
    BR_DRIVER_OVERRIDE = 40,  /* s0 device, s2 written text (n0 its length) */
    BR_SYSFS_BIND = 41,       /* s1 driver, s2 written text (the device), result */
    BR_SYSFS_UNBIND = 42,     /* same */
    BR_SYSFS_DRIVERS_PROBE = 43, /* s1 bus, s2 written text (the device), result */
    BR_SYSFS_NEW_ID = 44,     /* s1 driver, s0 its bus, s2 written text, result */
    BR_SYSFS_REMOVE_ID = 45,  /* same */
    BR_PROBE_START = 50,      /* s0 device, s1 driver, F_ASYNC */
    BR_PROBE_END = 51,        /* s0 device, s1 driver, result */
    BR_BOUND = 52,            /* s0 device, s1 driver */
    BR_UNBOUND = 53,          /* s0 device, s1 driver */
    BR_ASYNC_SCHEDULED = 60,  /* u0 cookie, u1 function, s0 device (driver-core helpers) */
    BR_ASYNC_RUN_START = 61,  /* u0 cookie */
    BR_ASYNC_RUN_END = 62,    /* u0 cookie */
    BR_ASYNC_SYNCHRONIZE = 63,/* u0 cookie (~0 for all) */
    BR_WORK_QUEUED = 64,      /* u0 work, u1 function */
    BR_WORK_START = 65,       /* u0 work, u1 function */
    BR_WORK_END = 66,         /* u0 work */
    BR_UEVENT = 70,           /* a uevent record: n0 message length, n1 netlink group */
    BR_MARKER = 80,           /* u0 value (throughput self-test) */
};

#define BINDRACE_F_THREAD 0x01
#define BINDRACE_F_WAIT 0x01
#define BINDRACE_F_ASYNC 0x01
#define BINDRACE_F_PCI_IDS 0x01
#define BINDRACE_F_VIRTFN 0x02
#define BINDRACE_F_AUTOPROBE 0x04

/* The BPF side's settings, filled in by the loader before load. */
struct bindrace_config {
    __u64 device_attach_async_helper;  /* kallsyms addresses; 0 when unknown */
    __u64 driver_attach_async_helper;
    __u32 marker_tgid;                 /* the throughput self-test's process */
    __u32 pad;
};

#endif
