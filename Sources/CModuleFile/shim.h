// libelf for section lookup, liblzma and libzstd for .ko.xz / .ko.zst.
#include <gelf.h>
#include <libelf.h>
#include <lzma.h>
#include <zstd.h>
