/* microkernel_tests.h — the twin tests of the microkernels, one checker per entry of the list
   (src/kernels/microkernels.h). check_<role>(kernel, twin, entry) runs the kernel and its scalar
   twin on the same seeded inputs at every tail of the entry's tile, compares them bit for bit
   (and, for the GEMM family, the twin with the definition in double) with sentinels around each
   output, and returns how many tails it took. Natively the list picks the twin for both
   arguments: the twin alone is checked, under the sanitizers. test_microkernels.c walks the
   list; a role without a checker does not link. Checkers: test_gemm_kernels.c (GEMM family),
   test_plane_kernels.c (the others). */
#ifndef NATIVE_MICROKERNEL_TESTS_H
#define NATIVE_MICROKERNEL_TESTS_H

#include "kernels/microkernels.h"

typedef struct {
    const char *role, *isa, *kernel, *twin;
    int tile_rows, tile_cols;
} microkernel_entry;

#define DECLARE_CHECK(role, type, isa, kernel, twin, tile_rows, tile_cols)                                             \
    long check_##role(type *, type *, const microkernel_entry *);
CNN_MICROKERNELS(DECLARE_CHECK)
#undef DECLARE_CHECK

#endif
