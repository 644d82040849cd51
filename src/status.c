/* status.c — the last error, as readable text (stb style: a status and a reason). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "internal.h"

static char last_error[512];

const char *cnn_last_error(void) { return last_error; }

size_t cnn_last_error_bytes(void) { return sizeof last_error; }

cnn_status cnn_fail(cnn_status status, const char *op, const char *format, ...) {
    int used = snprintf(last_error, sizeof last_error, "%s: ", op);
    va_list args;
    va_start(args, format);
    vsnprintf(last_error + used, sizeof last_error - (size_t)used, format, args);
    va_end(args);
    return status;
}

cnn_status cnn_check_positive(const char *op, const char *name, long long value) {
    if (value < 1) return cnn_fail(CNN_INVALID_ARGUMENT, op, "%s must be at least 1, got %lld", name, value);
    return CNN_OK;
}

/* Multiplies the (positive) factors one at a time and stops as soon as the
   product passes the limit, so no intermediate product can overflow. */
cnn_status cnn_check_elements(const char *op, const char *name, long long a, long long b, long long c, long long d) {
    const long long factors[4] = {a, b, c, d};
    long long count = 1;
    for (int i = 0; i < 4; i++) {
        if (factors[i] > CNN_MAX_ELEMENTS / count)
            return cnn_fail(CNN_INVALID_ARGUMENT, op,
                            "%s would have %lld·%lld·%lld·%lld elements, more than the limit of 2^31 - 1", name, a, b,
                            c, d);
        count *= factors[i];
    }
    return CNN_OK;
}

float *cnn_alloc_floats(const char *op, long long count) {
    if (count < 1) count = 1;
    if (count > CNN_MAX_SCRATCH || (unsigned long long)count > SIZE_MAX / sizeof(float)) {
        cnn_fail(CNN_OUT_OF_MEMORY, op, "out of memory: scratch of %lld floats passes the cap of 2^28 floats (1 GiB)",
                 count);
        return NULL;
    }
    float *block = malloc((size_t)count * sizeof(float));
    if (!block) cnn_fail(CNN_OUT_OF_MEMORY, op, "out of memory: could not allocate %lld bytes of scratch", count * 4);
    return block;
}
