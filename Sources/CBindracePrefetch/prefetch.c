// The hints are static inline functions in the header; SwiftPM builds a C
// target only from a source file.
#include "CBindracePrefetch.h"
