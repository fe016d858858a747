// libbpf, and the record layout shared with the BPF programs.
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "../../BPF/bindrace_record.h"
