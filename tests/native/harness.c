/* harness.c — checks, randomness and main() of the native test suite.
   Usage: native_tests [suite ...]   (no argument: every suite; --list: names) */
#define _POSIX_C_SOURCE 200809L /* fork, waitpid */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"
#include "internal.h"

void test_shapes(void);
void test_gemm(void);
void test_im2col(void);
void test_grad_conv(void);
void test_grad_pool(void);
void test_grad_dense(void);
void test_invalid_windows(void);
void test_invalid_ops(void);
void test_traces(void);
void test_special_values(void);
void test_out_of_memory(void);
void test_limits(void);
void test_edges(void);
void test_network(void);
void test_microkernels(void);
void test_plan(void);

static const struct {
    const char *name;
    void (*run)(void);
} SUITES[] = {
    {"shapes", test_shapes},
    {"gemm", test_gemm},
    {"im2col", test_im2col},
    {"grad_conv", test_grad_conv},
    {"grad_pool", test_grad_pool},
    {"grad_dense", test_grad_dense},
    {"invalid_windows", test_invalid_windows},
    {"invalid_ops", test_invalid_ops},
    {"traces", test_traces},
    {"special_values", test_special_values},
    {"out_of_memory", test_out_of_memory},
    {"limits", test_limits},
    {"edges", test_edges},
    {"network", test_network},
    {"microkernels", test_microkernels},
    {"plan", test_plan},
};
enum { SUITE_COUNT = sizeof SUITES / sizeof SUITES[0], MAX_PRINTED_FAILURES = 20 };

/* Under ASan a malloc above 1 GiB returns NULL instead of aborting, so the
   tests can drive the core's real out-of-memory path. ASAN_OPTIONS adds to this. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1:max_allocation_size_mb=1024"; }

static long checks, failures;
static int malloc_countdown;
static size_t largest_malloc_bytes;
static long malloc_count;

void fail_nth_malloc(int n) { malloc_countdown = n; }

size_t largest_malloc_since_reset(void) { return largest_malloc_bytes; }
long mallocs_since_reset(void) { return malloc_count; }
void reset_largest_malloc(void) { largest_malloc_bytes = 0, malloc_count = 0; }

void *__real_malloc(size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_malloc(size_t size) {
    if (malloc_countdown > 0 && --malloc_countdown == 0) return NULL;
    if (size > largest_malloc_bytes) largest_malloc_bytes = size;
    malloc_count++;
    return __real_malloc(size);
}

void check_at(int ok, const char *file, int line, const char *format, ...) {
    checks++;
    if (ok) return;
    if (++failures > MAX_PRINTED_FAILURES) return;
    fprintf(stderr, "%s:%d: FAIL: ", file, line);
    va_list args;
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
}

void run_isolated(const char *name, void (*test)(void)) {
#ifdef __EMSCRIPTEN__
    /* No fork in WebAssembly, and no sanitizer to abort: run it here. */
    const long failures_before = failures;
    test();
    CHECK(failures == failures_before, "%s failed (its report is above)", name);
    return;
#endif
    fflush(stdout);
    fflush(stderr);
    const pid_t child = fork();
    if (child == 0) {
        const long failures_before = failures;
        test();
        exit(failures > failures_before ? 1 : 0);
    }
    int status = 0;
    const int waited = child > 0 && waitpid(child, &status, 0) == child;
    CHECK(waited && WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s failed or aborted (its report is above)", name);
}

int close_enough(double got, double want, double atol, double rtol) {
    return fabs(got - want) <= atol + rtol * fabs(want);
}

void clear_last_error(void) { cnn_fail(CNN_OK, "(none)", "cleared by the test"); }

void check_fails_at(const char *file, int line, const char *call, cnn_status got, cnn_status want, const char *op,
                    const char *argument) {
    const char *error = cnn_last_error();
    check_at(got == want, file, line, "%s returned %d, want %d (last error \"%s\")", call, got, want, error);
    check_at(strstr(error, op) && strstr(error, argument), file, line,
             "%s: error \"%s\" should name the op \"%s\" and the argument \"%s\"", call, error, op, argument);
}

static uint32_t random_state = 1;

void random_seed(uint32_t seed) { random_state = seed ? seed : 1; }

static uint32_t random_bits(void) {
    random_state ^= random_state << 13;
    random_state ^= random_state >> 17;
    random_state ^= random_state << 5;
    return random_state;
}

float random_uniform(float low, float high) {
    return low + (high - low) * (float)(random_bits() >> 8) * (1.0f / 16777216.0f);
}

int random_int(int low, int high) { return low + (int)(random_bits() % (uint32_t)(high - low + 1)); }

/* Box–Muller with u1 in (0, 1]. */
float random_normal(void) {
    const double u1 = 1.0 - random_uniform(0.0f, 1.0f), u2 = random_uniform(0.0f, 1.0f);
    return (float)(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
}

float *filled_floats(int count, float value) {
    float *values = malloc((size_t)(count > 0 ? count : 1) * sizeof(float));
    if (!values) abort();
    for (int i = 0; i < count; i++) values[i] = value;
    return values;
}

float *zero_floats(int count) { return filled_floats(count, 0.0f); }

float *random_floats(int count) {
    float *values = filled_floats(count, 0.0f);
    for (int i = 0; i < count; i++) values[i] = random_normal();
    return values;
}

/* margin·(i − count/2) for a random permutation of i (Fisher–Yates). */
float *separated_floats(int count, float margin) {
    float *values = filled_floats(count, 0.0f);
    for (int i = 0; i < count; i++) values[i] = margin * (float)(i - count / 2);
    for (int i = count - 1; i > 0; i--) {
        const int j = random_int(0, i);
        const float swap = values[i];
        values[i] = values[j];
        values[j] = swap;
    }
    return values;
}

int all_equal(const float *values, int count, float value) {
    for (int i = 0; i < count; i++)
        if (values[i] != value) return 0;
    return 1;
}

static int run_suite(int index) {
    const long checks_before = checks, failures_before = failures;
    random_seed(0x5eed0000u + (uint32_t)index);
    SUITES[index].run();
    const long failed = failures - failures_before;
    printf("%-16s %6ld checks, %ld failed\n", SUITES[index].name, checks - checks_before, failed);
    return failed == 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (int i = 0; i < SUITE_COUNT; i++) puts(SUITES[i].name);
        return 0;
    }
    int ok = 1;
    for (int i = 0; i < SUITE_COUNT; i++) {
        int selected = argc == 1;
        for (int a = 1; a < argc; a++) selected |= strcmp(argv[a], SUITES[i].name) == 0;
        if (selected) ok &= run_suite(i);
    }
    for (int a = 1; a < argc; a++) {
        int known = 0;
        for (int i = 0; i < SUITE_COUNT; i++) known |= strcmp(argv[a], SUITES[i].name) == 0;
        if (!known) {
            fprintf(stderr, "unknown suite \"%s\" (--list names them)\n", argv[a]);
            ok = 0;
        }
    }
    return ok ? 0 : 1;
}
