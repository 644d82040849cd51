/* harness.h — the native test suite's tiny assertion harness.

   A suite is a function `void test_<topic>(void)` listed in harness.c; it
   calls CHECK(condition, "format", ...) as often as it likes. A failed check
   prints file:line and the message and the suite carries on; the process
   exits non-zero when any check failed. Sanitizer reports abort the process
   (-fno-sanitize-recover=all), which is why run.sh runs one suite per process. */
#ifndef NATIVE_HARNESS_H
#define NATIVE_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include "cnn.h"

#if defined(__SANITIZE_ADDRESS__)
#define HARNESS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HARNESS_ASAN 1
#endif
#endif

void check_at(int ok, const char *file, int line, const char *format, ...) __attribute__((format(printf, 4, 5)));
#define CHECK(ok, ...) check_at(!!(ok), __FILE__, __LINE__, __VA_ARGS__)

/* |got − want| ≤ atol + rtol·|want| (false for NaN). */
int close_enough(double got, double want, double atol, double rtol);

/* The call returned `want`, and cnn_last_error() names `op` and `argument`.
   The last error is cleared first, so a stale message cannot pass. */
void check_fails_at(const char *file, int line, const char *call, cnn_status got, cnn_status want, const char *op,
                    const char *argument);
void clear_last_error(void);
#define CHECK_FAILS(call, want, op, argument)                                                                          \
    (clear_last_error(), check_fails_at(__FILE__, __LINE__, #call, (call), want, op, argument))
/* For the functions that report failure as −1 instead of a status. */
#define STATUS_OF(result) ((result) == -1 ? CNN_INVALID_ARGUMENT : CNN_OK)

/* Runs test in a child process, so that an abort (a sanitizer report) fails
   one check of this suite instead of ending it. */
void run_isolated(const char *name, void (*test)(void));

/* Allocation failure injection: the n-th malloc from now returns NULL (n = 0:
   none). run.sh links with -Wl,--wrap=malloc, so every malloc of the core
   and of the tests goes through the harness. */
void fail_nth_malloc(int n);
/* The largest malloc (in bytes) since the last reset: what a call allocated at most. */
size_t largest_malloc_since_reset(void);
/* How many mallocs since the last reset (either reset clears both). */
long mallocs_since_reset(void);
void reset_largest_malloc(void);

/* Deterministic randomness (xorshift32), independent of the core's own. */
void random_seed(uint32_t seed);
float random_uniform(float low, float high);
int random_int(int low, int high); /* inclusive */
float random_normal(void);
/* malloc'd, owned by the caller: normal values, zeros, or a fill value. */
float *random_floats(int count);
float *zero_floats(int count);
float *filled_floats(int count, float value);
/* count values, pairwise at least `margin` apart, in random order: no max-pool
   ties and no winner change under a finite-difference step below margin. */
float *separated_floats(int count, float margin);

/* A value no op writes by accident, to prove an output was left alone. */
#define SENTINEL (-12345.25f)
int all_equal(const float *values, int count, float value);

#endif
