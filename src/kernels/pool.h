/* pool.h — pooling kernels over one [H, W] plane, and the window arithmetic
   they share with backward and the traces. Each SIMD plane kernel has a scalar
   twin with the same signature; the cell functions are the scalar reference
   the SIMD kernels use at the borders. Geometry is already validated. */
#ifndef CNN_KERNELS_POOL_H
#define CNN_KERNELS_POOL_H

#include <stdint.h>
#include "../cnn.h"
#include "window.h"

/* Input rows [row_begin, row_end) and columns [col_begin, col_end) an average
   window covers, and its divisor (see avg_pool2d.c). */
typedef struct {
    int row_begin, row_end, col_begin, col_end;
    float divisor;
} cnn_avg_window;

cnn_avg_window cnn_avg_pool_window(const cnn_geometry *g, int out_row, int out_col);

/* One output cell, scalar: max (value and argmax) and average. */
void cnn_max_pool_cell(float *out, int32_t *argmax, const float *in, const cnn_geometry *g,
                       int out_row, int out_col);
float cnn_avg_pool_cell(const float *in, const cnn_geometry *g, int out_row, int out_col);

/* Max pooling without the argmax (inference, F.max_pool2d): the window's max
   as f32.max gives it, NaN if any tap is NaN and +0 over −0. */
float cnn_max_of(float a, float b);
float cnn_max_pool_value_cell(const float *in, const cnn_geometry *g, int out_row, int out_col);

void cnn_f32_maxpool__scalar(float *out, int32_t *argmax, const float *in, const cnn_geometry *g);
void cnn_f32_avgpool__scalar(float *out, const float *in, const cnn_geometry *g);
/* Floats of scratch the values kernels take (the scalar twin needs none). */
long long cnn_max_pool_scratch(const cnn_geometry *g);
void cnn_f32_maxpool_values__scalar(float *out, const float *in, const cnn_geometry *g, float *scratch);
#ifdef __wasm_simd128__
void cnn_f32_maxpool_values__wasmsimd(float *out, const float *in, const cnn_geometry *g, float *scratch);
#define CNN_MAX_POOL_VALUES_PLANE cnn_f32_maxpool_values__wasmsimd
void cnn_f32_maxpool__wasmsimd(float *out, int32_t *argmax, const float *in, const cnn_geometry *g);
void cnn_f32_avgpool__wasmsimd(float *out, const float *in, const cnn_geometry *g);
#define CNN_MAX_POOL_PLANE cnn_f32_maxpool__wasmsimd
#define CNN_AVG_POOL_PLANE cnn_f32_avgpool__wasmsimd
#else
#define CNN_MAX_POOL_VALUES_PLANE cnn_f32_maxpool_values__scalar
#define CNN_MAX_POOL_PLANE cnn_f32_maxpool__scalar
#define CNN_AVG_POOL_PLANE cnn_f32_avgpool__scalar
#endif

#endif
