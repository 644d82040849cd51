/* status.c — the last error, as readable text (stb style: a status and a reason). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "internal.h"

static char last_error[512];

const char *cnn_last_error(void) { return last_error; }

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

cnn_status cnn_check_elements(const char *op, const char *name, long long count) {
    if (count > CNN_MAX_ELEMENTS)
        return cnn_fail(CNN_INVALID_ARGUMENT, op,
                        "%s has %lld elements, more than the limit of 2^31 - 1", name, count);
    return CNN_OK;
}

float *cnn_alloc_floats(const char *op, long long count) {
    if (count < 1) count = 1;
    if (count > CNN_MAX_ELEMENTS || (unsigned long long)count > SIZE_MAX / sizeof(float)) {
        cnn_fail(CNN_OUT_OF_MEMORY, op, "out of memory: scratch of %lld floats is over the limit", count);
        return NULL;
    }
    float *block = malloc((size_t)count * sizeof(float));
    if (!block) cnn_fail(CNN_OUT_OF_MEMORY, op, "out of memory: could not allocate %lld bytes of scratch", count * 4);
    return block;
}
