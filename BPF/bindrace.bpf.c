// SPDX-License-Identifier: GPL-2.0
/* bindrace's probe set: driver-core, sysfs, module, process, async, work and
 * uevent events into one ring buffer (record layout: bindrace_record.h).
 *
 * Program names say how a program attaches and what it hooks:
 *   fe_<fn> / fx_<fn>   fentry / fexit (the preferred way)
 *   kp_<fn> / kr_<fn>   kprobe / kretprobe (the fallback for the same hook)
 *   rt_<tracepoint>     raw tracepoint (no tracefs needed)
 * The loader attaches a hook's fentry/fexit programs when it can and the
 * kprobe programs of the same hook otherwise, and records which it used.
 */
#include "bindrace_kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bindrace_record.h"

char LICENSE[] SEC("license") = "GPL";

#define EBUSY 16
#define PCI_BUS_NAME0 'p'

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 8 << 20);
} events SEC(".maps");

/* Records dropped because the ring buffer was full, per CPU. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} lost SEC(".maps");

/* Entry arguments kept for a kretprobe, per task and hook. */
struct stash_key {
    __u32 tid;
    __u32 hook;
};
struct stash_value {
    __u64 arg[4];
};
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct stash_key);
    __type(value, struct stash_value);
} stash SEC(".maps");

/* Tasks running an async entry right now (for probe_start's async flag). */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, __u32);
    __type(value, __u64);
} in_async SEC(".maps");

const volatile struct bindrace_config config = {};

enum hook_id {
    H_DRIVER_REGISTER = 1,
    H_DRIVER_PROBE,
    H_BIND,
    H_UNBIND,
    H_DRIVERS_PROBE,
    H_NEW_ID,
    H_REMOVE_ID,
    H_INIT_MODULE,
    H_ASYNC_SCHEDULE,
    H_ASYNC_RUN,
    H_ASYNC_SYNC,
};

static __always_inline void count_lost(void)
{
    __u32 zero = 0;
    __u64 *n = bpf_map_lookup_elem(&lost, &zero);
    if (n)
        __sync_fetch_and_add(n, 1);
}

static __always_inline void fill_context(struct bindrace_record *r, __u8 kind)
{
    __u64 id = bpf_get_current_pid_tgid();
    r->timestamp = bpf_ktime_get_ns();
    r->pid = id >> 32;
    r->tid = (__u32)id;
    r->cpu = bpf_get_smp_processor_id();
    r->kind = kind;
    r->flags = 0;
    r->u0 = 0;
    r->u1 = 0;
    r->result = 0;
#pragma unroll
    for (int i = 0; i < 6; i++)
        r->n[i] = 0;
    bpf_get_current_comm(r->comm, sizeof(r->comm));
}

static __always_inline struct bindrace_record *reserve_short(__u8 kind)
{
    struct bindrace_record *r = bpf_ringbuf_reserve(&events, BINDRACE_RECORD_SHORT, 0);
    if (!r) {
        count_lost();
        return 0;
    }
    fill_context(r, kind);
    return r;
}

static __always_inline struct bindrace_record *reserve_full(__u8 kind)
{
    struct bindrace_record *r = bpf_ringbuf_reserve(&events, sizeof(struct bindrace_record), 0);
    if (!r) {
        count_lost();
        return 0;
    }
    fill_context(r, kind);
    r->s0[0] = 0;
    r->s1[0] = 0;
    r->s2[0] = 0;
    return r;
}

static __always_inline void submit(struct bindrace_record *r)
{
    bpf_ringbuf_submit(r, 0);
}

static __always_inline void read_str(char *dst, __u32 size, const void *src)
{
    if (!src || bpf_probe_read_kernel_str(dst, size, src) < 0)
        dst[0] = 0;
}

static __always_inline void device_name(char *dst, __u32 size, struct device *dev)
{
    const char *name = BPF_CORE_READ(dev, kobj.name);
    if (!name)
        name = BPF_CORE_READ(dev, init_name);
    read_str(dst, size, name);
}

static __always_inline void driver_name(char *dst, __u32 size, struct device_driver *drv)
{
    read_str(dst, size, BPF_CORE_READ(drv, name));
}

static __always_inline void bus_name(char *dst, __u32 size, struct bus_type *bus)
{
    if (bus)
        read_str(dst, size, BPF_CORE_READ(bus, name));
    else
        dst[0] = 0;
}

/* "/a/b/c" from a leaf name and the kobject chain above it. Truncated at
 * BINDRACE_S2_LEN; components are kept whole as far as they fit. */
#define PATH_DEPTH 10
static __always_inline void build_path(char *out, const char *leaf, struct kobject *k)
{
    const char *names[PATH_DEPTH];
    int n = 0;
    names[0] = leaf;
    n = 1;
    for (int i = 1; i < PATH_DEPTH; i++) {
        if (!k)
            break;
        names[i] = BPF_CORE_READ(k, name);
        k = BPF_CORE_READ(k, parent);
        n = i + 1;
    }
    __u32 off = 0;
    for (int i = PATH_DEPTH - 1; i >= 0; i--) {
        if (i >= n)
            continue;
        if (off >= BINDRACE_S2_LEN / 2)
            break;
        out[off & (BINDRACE_S2_LEN / 2 - 1)] = '/';
        off++;
        long len = bpf_probe_read_kernel_str(&out[off & (BINDRACE_S2_LEN / 2 - 1)], BINDRACE_S2_LEN / 2, names[i]);
        if (len > 1)
            off += len - 1;
    }
    out[off & (BINDRACE_S2_LEN - 1)] = 0;
}

static __always_inline void stash_put(__u32 hook, __u64 a0, __u64 a1, __u64 a2, __u64 a3)
{
    struct stash_key key = { .tid = (__u32)bpf_get_current_pid_tgid(), .hook = hook };
    struct stash_value v = { .arg = { a0, a1, a2, a3 } };
    bpf_map_update_elem(&stash, &key, &v, BPF_ANY);
}

static __always_inline int stash_take(__u32 hook, struct stash_value *out)
{
    struct stash_key key = { .tid = (__u32)bpf_get_current_pid_tgid(), .hook = hook };
    struct stash_value *v = bpf_map_lookup_elem(&stash, &key);
    if (!v)
        return -1;
    *out = *v;
    bpf_map_delete_elem(&stash, &key);
    return 0;
}

/* ---------------------------------------------------------------- driver_register */

static __always_inline void emit_register(__u8 kind, struct device_driver *drv, int ret)
{
    struct bindrace_record *r = reserve_full(kind);
    if (!r)
        return;
    driver_name(r->s1, sizeof(r->s1), drv);
    bus_name(r->s0, sizeof(r->s0), BPF_CORE_READ(drv, bus));
    r->n[0] = BPF_CORE_READ(drv, probe_type);
    r->result = ret;
    submit(r);
}

SEC("fentry/driver_register")
int BPF_PROG(fe_driver_register, struct device_driver *drv)
{
    emit_register(BR_DRIVER_REGISTER_START, drv, 0);
    return 0;
}

SEC("fexit/driver_register")
int BPF_PROG(fx_driver_register, struct device_driver *drv, int ret)
{
    emit_register(BR_DRIVER_REGISTER_END, drv, ret);
    return 0;
}

SEC("kprobe/driver_register")
int BPF_KPROBE(kp_driver_register, struct device_driver *drv)
{
    emit_register(BR_DRIVER_REGISTER_START, drv, 0);
    stash_put(H_DRIVER_REGISTER, (__u64)drv, 0, 0, 0);
    return 0;
}

SEC("kretprobe/driver_register")
int BPF_KRETPROBE(kr_driver_register, int ret)
{
    struct stash_value v;
    if (stash_take(H_DRIVER_REGISTER, &v) == 0)
        emit_register(BR_DRIVER_REGISTER_END, (struct device_driver *)v.arg[0], ret);
    return 0;
}

/* ---------------------------------------------------------------- probing */

/* __driver_probe_device runs with the device lock held: the first attempt
 * that finds no driver bound wins, later ones return -EBUSY. */
static __always_inline void emit_probe(__u8 kind, struct device *dev, struct device_driver *drv, int ret)
{
    struct bindrace_record *r = reserve_full(kind);
    if (!r)
        return;
    device_name(r->s0, sizeof(r->s0), dev);
    driver_name(r->s1, sizeof(r->s1), drv);
    r->result = ret;
    if (kind == BR_PROBE_START) {
        __u32 tid = (__u32)bpf_get_current_pid_tgid();
        if (bpf_map_lookup_elem(&in_async, &tid))
            r->flags |= BINDRACE_F_ASYNC;
    }
    submit(r);
}

SEC("fentry/__driver_probe_device")
int BPF_PROG(fe___driver_probe_device, struct device_driver *drv, struct device *dev)
{
    emit_probe(BR_PROBE_START, dev, drv, 0);
    return 0;
}

SEC("fexit/__driver_probe_device")
int BPF_PROG(fx___driver_probe_device, struct device_driver *drv, struct device *dev, int ret)
{
    emit_probe(BR_PROBE_END, dev, drv, ret);
    return 0;
}

SEC("kprobe/__driver_probe_device")
int BPF_KPROBE(kp___driver_probe_device, struct device_driver *drv, struct device *dev)
{
    emit_probe(BR_PROBE_START, dev, drv, 0);
    stash_put(H_DRIVER_PROBE, (__u64)drv, (__u64)dev, 0, 0);
    return 0;
}

SEC("kretprobe/__driver_probe_device")
int BPF_KRETPROBE(kr___driver_probe_device, int ret)
{
    struct stash_value v;
    if (stash_take(H_DRIVER_PROBE, &v) == 0)
        emit_probe(BR_PROBE_END, (struct device *)v.arg[1], (struct device_driver *)v.arg[0], ret);
    return 0;
}

static __always_inline void emit_bound(__u8 kind, struct device *dev)
{
    struct device_driver *drv = BPF_CORE_READ(dev, driver);
    if (!drv)
        return;
    struct bindrace_record *r = reserve_full(kind);
    if (!r)
        return;
    device_name(r->s0, sizeof(r->s0), dev);
    driver_name(r->s1, sizeof(r->s1), drv);
    submit(r);
}

SEC("fentry/driver_bound")
int BPF_PROG(fe_driver_bound, struct device *dev)
{
    emit_bound(BR_BOUND, dev);
    return 0;
}

SEC("kprobe/driver_bound")
int BPF_KPROBE(kp_driver_bound, struct device *dev)
{
    emit_bound(BR_BOUND, dev);
    return 0;
}

/* device_release_driver_internal(dev, drv, parent) releases dev's driver when
 * drv is NULL or is that driver. */
static __always_inline void emit_release(struct device *dev, struct device_driver *drv)
{
    struct device_driver *cur = BPF_CORE_READ(dev, driver);
    if (!cur || (drv && drv != cur))
        return;
    emit_bound(BR_UNBOUND, dev);
}

SEC("fentry/device_release_driver_internal")
int BPF_PROG(fe_device_release_driver_internal, struct device *dev, struct device_driver *drv)
{
    emit_release(dev, drv);
    return 0;
}

SEC("kprobe/device_release_driver_internal")
int BPF_KPROBE(kp_device_release_driver_internal, struct device *dev, struct device_driver *drv)
{
    emit_release(dev, drv);
    return 0;
}

/* ---------------------------------------------------------------- device_add */

static __always_inline void emit_device_add(struct device *dev)
{
    struct bindrace_record *r = reserve_full(BR_DEVICE_ADD);
    if (!r)
        return;
    device_name(r->s0, sizeof(r->s0), dev);
    struct bus_type *bus = BPF_CORE_READ(dev, bus);
    bus_name(r->s1, sizeof(r->s1), bus);
    /* The parent's kobject chain is in place before device_add runs. */
    struct device *parent = BPF_CORE_READ(dev, parent);
    struct kobject *up = parent ? (struct kobject *)((char *)parent + bpf_core_field_offset(struct device, kobj))
                                : BPF_CORE_READ(dev, kobj.parent);
    const char *leaf = BPF_CORE_READ(dev, kobj.name);
    if (!leaf)
        leaf = BPF_CORE_READ(dev, init_name);
    build_path(r->s2, leaf, up);
    if (r->s1[0] == 'p' && r->s1[1] == 'c' && r->s1[2] == 'i' && r->s1[3] == 0) {
        struct pci_dev *pdev = (struct pci_dev *)((char *)dev - bpf_core_field_offset(struct pci_dev, dev));
        r->flags |= BINDRACE_F_PCI_IDS;
        r->n[0] = BPF_CORE_READ(pdev, vendor);
        r->n[1] = BPF_CORE_READ(pdev, device);
        r->n[2] = BPF_CORE_READ(pdev, subsystem_vendor);
        r->n[3] = BPF_CORE_READ(pdev, subsystem_device);
        r->n[4] = BPF_CORE_READ(pdev, class);
        if (BPF_CORE_READ_BITFIELD_PROBED(pdev, is_virtfn)) {
            r->flags |= BINDRACE_F_VIRTFN;
            struct pci_dev *pf = BPF_CORE_READ(pdev, physfn);
            if (pf && BPF_CORE_READ(pf, sriov, drivers_autoprobe))
                r->flags |= BINDRACE_F_AUTOPROBE;
        } else {
            r->flags |= BINDRACE_F_AUTOPROBE;
        }
    }
    submit(r);
}

SEC("fentry/device_add")
int BPF_PROG(fe_device_add, struct device *dev)
{
    emit_device_add(dev);
    return 0;
}

SEC("kprobe/device_add")
int BPF_KPROBE(kp_device_add, struct device *dev)
{
    emit_device_add(dev);
    return 0;
}

/* ---------------------------------------------------------------- sysfs writes */

static __always_inline void emit_override(struct device *dev, const char *s, size_t len)
{
    struct bindrace_record *r = reserve_full(BR_DRIVER_OVERRIDE);
    if (!r)
        return;
    device_name(r->s0, sizeof(r->s0), dev);
    r->n[0] = len;
    if (len > 0)
        read_str(r->s2, sizeof(r->s2), s);
    submit(r);
}

/* Entry only: the 6.1 verifier rejects an fexit that touches the
 * `const char **` argument. */
SEC("fentry/driver_set_override")
int BPF_PROG(fe_driver_set_override, struct device *dev, const char **override, const char *s, size_t len)
{
    emit_override(dev, s, len);
    return 0;
}

SEC("kprobe/driver_set_override")
int BPF_KPROBE(kp_driver_set_override, struct device *dev, const char **override, const char *s, size_t len)
{
    emit_override(dev, s, len);
    return 0;
}

/* bind, unbind, new_id, remove_id: (struct device_driver *, buf, count). */
static __always_inline void emit_driver_store(__u8 kind, struct device_driver *drv, const char *buf, long ret)
{
    struct bindrace_record *r = reserve_full(kind);
    if (!r)
        return;
    driver_name(r->s1, sizeof(r->s1), drv);
    bus_name(r->s0, sizeof(r->s0), BPF_CORE_READ(drv, bus));
    read_str(r->s2, sizeof(r->s2), buf);
    r->result = ret;
    submit(r);
}

static __always_inline void emit_bus_store(__u8 kind, struct bus_type *bus, const char *buf, long ret)
{
    struct bindrace_record *r = reserve_full(kind);
    if (!r)
        return;
    bus_name(r->s1, sizeof(r->s1), bus);
    read_str(r->s2, sizeof(r->s2), buf);
    r->result = ret;
    submit(r);
}

#define DRIVER_STORE(fn, KIND, HOOK)                                                        \
    SEC("fexit/" #fn)                                                                       \
    int BPF_PROG(fx_##fn, struct device_driver *drv, const char *buf, size_t count, long ret) \
    {                                                                                       \
        emit_driver_store(KIND, drv, buf, ret);                                             \
        return 0;                                                                           \
    }                                                                                       \
    SEC("kprobe/" #fn)                                                                      \
    int BPF_KPROBE(kp_##fn, struct device_driver *drv, const char *buf)                     \
    {                                                                                       \
        stash_put(HOOK, (__u64)drv, (__u64)buf, 0, 0);                                      \
        return 0;                                                                           \
    }                                                                                       \
    SEC("kretprobe/" #fn)                                                                   \
    int BPF_KRETPROBE(kr_##fn, long ret)                                                    \
    {                                                                                       \
        struct stash_value v;                                                               \
        if (stash_take(HOOK, &v) == 0)                                                      \
            emit_driver_store(KIND, (struct device_driver *)v.arg[0], (const char *)v.arg[1], ret); \
        return 0;                                                                           \
    }

DRIVER_STORE(bind_store, BR_SYSFS_BIND, H_BIND)
DRIVER_STORE(unbind_store, BR_SYSFS_UNBIND, H_UNBIND)
DRIVER_STORE(new_id_store, BR_SYSFS_NEW_ID, H_NEW_ID)
DRIVER_STORE(remove_id_store, BR_SYSFS_REMOVE_ID, H_REMOVE_ID)

SEC("fexit/drivers_probe_store")
int BPF_PROG(fx_drivers_probe_store, struct bus_type *bus, const char *buf, size_t count, long ret)
{
    emit_bus_store(BR_SYSFS_DRIVERS_PROBE, bus, buf, ret);
    return 0;
}

SEC("kprobe/drivers_probe_store")
int BPF_KPROBE(kp_drivers_probe_store, struct bus_type *bus, const char *buf)
{
    stash_put(H_DRIVERS_PROBE, (__u64)bus, (__u64)buf, 0, 0);
    return 0;
}

SEC("kretprobe/drivers_probe_store")
int BPF_KRETPROBE(kr_drivers_probe_store, long ret)
{
    struct stash_value v;
    if (stash_take(H_DRIVERS_PROBE, &v) == 0)
        emit_bus_store(BR_SYSFS_DRIVERS_PROBE, (struct bus_type *)v.arg[0], (const char *)v.arg[1], ret);
    return 0;
}

/* pci_add_dynid(drv, vendor, device, subvendor, subdevice, class, class_mask,
 * driver_data): eight arguments, more than a trampoline takes, so a kprobe
 * only. The seventh is on the stack above the return address. */
SEC("kprobe/pci_add_dynid")
int kp_pci_add_dynid(struct pt_regs *ctx)
{
    struct pci_driver *drv = (struct pci_driver *)PT_REGS_PARM1(ctx);
    struct bindrace_record *r = reserve_full(BR_DYNAMIC_ID_ADDED);
    if (!r)
        return 0;
    read_str(r->s1, sizeof(r->s1), BPF_CORE_READ(drv, name));
    r->n[0] = PT_REGS_PARM2(ctx);
    r->n[1] = PT_REGS_PARM3(ctx);
    r->n[2] = PT_REGS_PARM4(ctx);
    r->n[3] = PT_REGS_PARM5(ctx);
    r->n[4] = ctx->r9;
    __u64 class_mask = 0;
    bpf_probe_read_kernel(&class_mask, sizeof(class_mask), (void *)(PT_REGS_SP(ctx) + 8));
    r->n[5] = (__u32)class_mask;
    submit(r);
    return 0;
}

/* ---------------------------------------------------------------- modules */

SEC("raw_tracepoint/module_load")
int rt_module_load(struct bpf_raw_tracepoint_args *ctx)
{
    struct module *mod = (struct module *)ctx->args[0];
    struct bindrace_record *r = reserve_full(BR_MODULE_LOAD);
    if (!r)
        return 0;
    read_str(r->s0, sizeof(r->s0), mod->name);
    submit(r);
    return 0;
}

/* trace_module_request(name, wait, ip) */
SEC("raw_tracepoint/module_request")
int rt_module_request(struct bpf_raw_tracepoint_args *ctx)
{
    struct bindrace_record *r = reserve_full(BR_MODULE_REQUEST);
    if (!r)
        return 0;
    read_str(r->s0, sizeof(r->s0), (const char *)ctx->args[0]);
    if (ctx->args[1] & 1)
        r->flags |= BINDRACE_F_WAIT;
    submit(r);
    return 0;
}

static __always_inline void emit_init_done(const char *name, int ret)
{
    struct bindrace_record *r = reserve_full(BR_MODULE_INIT_DONE);
    if (!r)
        return;
    read_str(r->s0, sizeof(r->s0), name);
    r->result = ret;
    submit(r);
}

/* On failure do_init_module frees the module: keep its name from entry. */
struct init_name {
    char name[56];
};
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 256);
    __type(key, __u32);
    __type(value, struct init_name);
} init_names SEC(".maps");

static __always_inline void remember_init(struct module *mod)
{
    struct init_name n = {};
    __u32 tid = (__u32)bpf_get_current_pid_tgid();
    bpf_probe_read_kernel_str(n.name, sizeof(n.name), mod->name);
    bpf_map_update_elem(&init_names, &tid, &n, BPF_ANY);
}

static __always_inline void finish_init(int ret)
{
    __u32 tid = (__u32)bpf_get_current_pid_tgid();
    struct init_name *n = bpf_map_lookup_elem(&init_names, &tid);
    if (!n)
        return;
    emit_init_done(n->name, ret);
    bpf_map_delete_elem(&init_names, &tid);
}

SEC("fentry/do_init_module")
int BPF_PROG(fe_do_init_module, struct module *mod)
{
    remember_init(mod);
    return 0;
}

SEC("fexit/do_init_module")
int BPF_PROG(fx_do_init_module, struct module *mod, int ret)
{
    finish_init(ret);
    return 0;
}

SEC("kprobe/do_init_module")
int BPF_KPROBE(kp_do_init_module, struct module *mod)
{
    remember_init(mod);
    return 0;
}

SEC("kretprobe/do_init_module")
int BPF_KRETPROBE(kr_do_init_module, int ret)
{
    finish_init(ret);
    return 0;
}

/* ---------------------------------------------------------------- processes */

/* sched_process_fork(parent, child) */
SEC("raw_tracepoint/sched_process_fork")
int rt_sched_process_fork(struct bpf_raw_tracepoint_args *ctx)
{
    struct task_struct *parent = (struct task_struct *)ctx->args[0];
    struct task_struct *child = (struct task_struct *)ctx->args[1];
    struct bindrace_record *r = reserve_short(BR_PROCESS_FORK);
    if (!r)
        return 0;
    r->n[0] = BPF_CORE_READ(child, tgid);
    r->n[1] = BPF_CORE_READ(child, pid);
    if (BPF_CORE_READ(child, tgid) == BPF_CORE_READ(parent, tgid))
        r->flags |= BINDRACE_F_THREAD;
    submit(r);
    return 0;
}

/* sched_process_exec(p, old_pid, bprm) */
SEC("raw_tracepoint/sched_process_exec")
int rt_sched_process_exec(struct bpf_raw_tracepoint_args *ctx)
{
    struct linux_binprm *bprm = (struct linux_binprm *)ctx->args[2];
    struct bindrace_record *r = reserve_full(BR_PROCESS_EXEC);
    if (!r)
        return 0;
    read_str(r->s2, sizeof(r->s2), BPF_CORE_READ(bprm, filename));
    submit(r);
    return 0;
}

/* sched_process_exit(p) */
SEC("raw_tracepoint/sched_process_exit")
int rt_sched_process_exit(struct bpf_raw_tracepoint_args *ctx)
{
    struct task_struct *p = (struct task_struct *)ctx->args[0];
    struct bindrace_record *r = reserve_short(BR_PROCESS_EXIT);
    if (!r)
        return 0;
    r->result = BPF_CORE_READ(p, exit_code);
    submit(r);
    return 0;
}

/* kernel_wait4 returns the pid it reaped. */
static __always_inline void emit_wait(long ret)
{
    if (ret <= 0)
        return;
    struct bindrace_record *r = reserve_short(BR_PROCESS_WAIT);
    if (!r)
        return;
    r->n[0] = ret;
    submit(r);
}

SEC("fexit/kernel_wait4")
int BPF_PROG(fx_kernel_wait4, pid_t upid, int *stat_addr, int options, void *ru, long ret)
{
    emit_wait(ret);
    return 0;
}

SEC("kretprobe/kernel_wait4")
int BPF_KRETPROBE(kr_kernel_wait4, long ret)
{
    emit_wait(ret);
    return 0;
}

/* ---------------------------------------------------------------- async */

static __always_inline void emit_async_scheduled(void *func, void *data, __u64 cookie)
{
    struct bindrace_record *r = reserve_full(BR_ASYNC_SCHEDULED);
    if (!r)
        return;
    r->u0 = cookie;
    r->u1 = (__u64)func;
    if (func && ((__u64)func == config.device_attach_async_helper ||
                 (__u64)func == config.driver_attach_async_helper))
        device_name(r->s0, sizeof(r->s0), (struct device *)data);
    submit(r);
}

SEC("fexit/async_schedule_node_domain")
int BPF_PROG(fx_async_schedule_node_domain, void *func, void *data, int node, void *domain, __u64 ret)
{
    emit_async_scheduled(func, data, ret);
    return 0;
}

SEC("kprobe/async_schedule_node_domain")
int BPF_KPROBE(kp_async_schedule_node_domain, void *func, void *data)
{
    stash_put(H_ASYNC_SCHEDULE, (__u64)func, (__u64)data, 0, 0);
    return 0;
}

SEC("kretprobe/async_schedule_node_domain")
int BPF_KRETPROBE(kr_async_schedule_node_domain, __u64 ret)
{
    struct stash_value v;
    if (stash_take(H_ASYNC_SCHEDULE, &v) == 0)
        emit_async_scheduled((void *)v.arg[0], (void *)v.arg[1], ret);
    return 0;
}

static __always_inline __u64 async_cookie(struct work_struct *work)
{
    struct async_entry *e = (struct async_entry *)((char *)work - bpf_core_field_offset(struct async_entry, work));
    return BPF_CORE_READ(e, cookie);
}

static __always_inline void emit_async_run(__u8 kind, __u64 cookie)
{
    __u32 tid = (__u32)bpf_get_current_pid_tgid();
    if (kind == BR_ASYNC_RUN_START)
        bpf_map_update_elem(&in_async, &tid, &cookie, BPF_ANY);
    else
        bpf_map_delete_elem(&in_async, &tid);
    struct bindrace_record *r = reserve_short(kind);
    if (!r)
        return;
    r->u0 = cookie;
    submit(r);
}

SEC("fentry/async_run_entry_fn")
int BPF_PROG(fe_async_run_entry_fn, struct work_struct *work)
{
    emit_async_run(BR_ASYNC_RUN_START, async_cookie(work));
    return 0;
}

/* The entry is freed when the function returns: take the cookie at entry. */
SEC("fexit/async_run_entry_fn")
int BPF_PROG(fx_async_run_entry_fn, struct work_struct *work)
{
    __u32 tid = (__u32)bpf_get_current_pid_tgid();
    __u64 *cookie = bpf_map_lookup_elem(&in_async, &tid);
    emit_async_run(BR_ASYNC_RUN_END, cookie ? *cookie : 0);
    return 0;
}

SEC("kprobe/async_run_entry_fn")
int BPF_KPROBE(kp_async_run_entry_fn, struct work_struct *work)
{
    emit_async_run(BR_ASYNC_RUN_START, async_cookie(work));
    return 0;
}

SEC("kretprobe/async_run_entry_fn")
int BPF_KRETPROBE(kr_async_run_entry_fn)
{
    __u32 tid = (__u32)bpf_get_current_pid_tgid();
    __u64 *cookie = bpf_map_lookup_elem(&in_async, &tid);
    emit_async_run(BR_ASYNC_RUN_END, cookie ? *cookie : 0);
    return 0;
}

static __always_inline void emit_async_sync(__u64 cookie)
{
    struct bindrace_record *r = reserve_short(BR_ASYNC_SYNCHRONIZE);
    if (!r)
        return;
    r->u0 = cookie;
    submit(r);
}

SEC("fexit/async_synchronize_cookie_domain")
int BPF_PROG(fx_async_synchronize_cookie_domain, __u64 cookie)
{
    emit_async_sync(cookie);
    return 0;
}

SEC("kprobe/async_synchronize_cookie_domain")
int BPF_KPROBE(kp_async_synchronize_cookie_domain, __u64 cookie)
{
    stash_put(H_ASYNC_SYNC, cookie, 0, 0, 0);
    return 0;
}

SEC("kretprobe/async_synchronize_cookie_domain")
int BPF_KRETPROBE(kr_async_synchronize_cookie_domain)
{
    struct stash_value v;
    if (stash_take(H_ASYNC_SYNC, &v) == 0)
        emit_async_sync(v.arg[0]);
    return 0;
}

/* ---------------------------------------------------------------- workqueues */

/* workqueue_queue_work(req_cpu, pwq, work) */
SEC("raw_tracepoint/workqueue_queue_work")
int rt_workqueue_queue_work(struct bpf_raw_tracepoint_args *ctx)
{
    struct work_struct *work = (struct work_struct *)ctx->args[2];
    struct bindrace_record *r = reserve_short(BR_WORK_QUEUED);
    if (!r)
        return 0;
    r->u0 = (__u64)work;
    r->u1 = (__u64)BPF_CORE_READ(work, func);
    submit(r);
    return 0;
}

/* workqueue_execute_start(work) */
SEC("raw_tracepoint/workqueue_execute_start")
int rt_workqueue_execute_start(struct bpf_raw_tracepoint_args *ctx)
{
    struct work_struct *work = (struct work_struct *)ctx->args[0];
    struct bindrace_record *r = reserve_short(BR_WORK_START);
    if (!r)
        return 0;
    r->u0 = (__u64)work;
    r->u1 = (__u64)BPF_CORE_READ(work, func);
    submit(r);
    return 0;
}

/* workqueue_execute_end(work, function) */
SEC("raw_tracepoint/workqueue_execute_end")
int rt_workqueue_execute_end(struct bpf_raw_tracepoint_args *ctx)
{
    struct bindrace_record *r = reserve_short(BR_WORK_END);
    if (!r)
        return 0;
    r->u0 = ctx->args[0];
    r->u1 = ctx->args[1];
    submit(r);
    return 0;
}

/* ---------------------------------------------------------------- uevents */

#define NETLINK_KOBJECT_UEVENT 15

/* The kernel broadcasts each uevent with netlink_broadcast on the
 * NETLINK_KOBJECT_UEVENT socket (when something, udev, listens). The
 * message goes to user space whole and is parsed there: kobject_uevent.c
 * itself cannot be traced (notrace). */
static __always_inline void emit_uevent(struct sock *sk, struct sk_buff *skb, __u32 group)
{
    /* Group 1 is the kernel's own uevents; udevd's re-broadcasts to its
     * clients (group 2, "libudev" messages) are not kernel events. */
    if (group != 1 || BPF_CORE_READ(sk, sk_protocol) != NETLINK_KOBJECT_UEVENT)
        return;
    __u32 len = BPF_CORE_READ(skb, len);
    const void *data = BPF_CORE_READ(skb, data);
    struct bindrace_record *r = bpf_ringbuf_reserve(&events, BINDRACE_RECORD_UEVENT, 0);
    if (!r) {
        count_lost();
        return;
    }
    fill_context(r, BR_UEVENT);
    /* The mask gives the verifier its bound: at most MSG_LEN - 1 bytes. */
    __u32 n = len >= BINDRACE_UEVENT_MSG_LEN ? BINDRACE_UEVENT_MSG_LEN - 1 : len;
    n &= BINDRACE_UEVENT_MSG_LEN - 1;
    r->n[0] = 0;
    r->n[1] = group;
    char *msg = (char *)r + BINDRACE_RECORD_SHORT;
    if (bpf_probe_read_kernel(msg, n, data) == 0)
        r->n[0] = n;
    submit(r);
}

SEC("fentry/netlink_broadcast")
int BPF_PROG(fe_netlink_broadcast, struct sock *ssk, struct sk_buff *skb, __u32 portid, __u32 group)
{
    emit_uevent(ssk, skb, group);
    return 0;
}

SEC("kprobe/netlink_broadcast")
int BPF_KPROBE(kp_netlink_broadcast, struct sock *ssk, struct sk_buff *skb, __u32 portid, __u32 group)
{
    emit_uevent(ssk, skb, group);
    return 0;
}

/* ---------------------------------------------------------------- self-test */

/* Loaded only by the throughput self-test: one marker per system call of
 * the process named in config.marker_tgid. */
SEC("raw_tracepoint/sys_enter")
int rt_marker_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
    __u32 tgid = bpf_get_current_pid_tgid() >> 32;
    if (config.marker_tgid == 0 || tgid != config.marker_tgid)
        return 0;
    struct bindrace_record *r = reserve_short(BR_MARKER);
    if (!r)
        return 0;
    r->u0 = ctx->args[1];
    submit(r);
    return 0;
}
