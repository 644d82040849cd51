/* test_microkernels.c — walks the list of microkernels (src/kernels/microkernels.h): every
   entry's checker (microkernel_tests.h) runs its kernel against its scalar twin at every tail
   of its tile. An entry whose checker took no tail fails. */
#include "harness.h"
#include "microkernel_tests.h"

#define ENTRY(role, type, isa, kernel, twin, tile_rows, tile_cols) {#role, #isa, #kernel, #twin, tile_rows, tile_cols},
static const microkernel_entry LIST[] = {CNN_MICROKERNELS(ENTRY)};
#undef ENTRY

/* The tails an entry's checker took, in list order. */
static long tails[sizeof LIST / sizeof LIST[0]];

static void run_every_checker(void) {
    size_t at = 0;
#define RUN(role, type, isa, kernel, twin, tile_rows, tile_cols)                                                       \
    tails[at] = check_##role(CNN_PICK_##isa(kernel, twin), twin, &LIST[at]), at++;
    CNN_MICROKERNELS(RUN)
#undef RUN
}

void test_microkernels(void) {
    run_every_checker();
    for (size_t at = 0; at < sizeof LIST / sizeof LIST[0]; at++) {
        const microkernel_entry *e = &LIST[at];
        CHECK(tails[at] > 0, "%s (%s, %s, %d×%d, twin %s): no tail checked", e->role, e->kernel, e->isa, e->tile_rows,
              e->tile_cols, e->twin);
    }
}
