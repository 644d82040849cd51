/* window.h — where a sliding window lies wholly inside the input, so a SIMD
   kernel can take four output columns at once with no bounds checks. */
#ifndef CNN_KERNELS_WINDOW_H
#define CNN_KERNELS_WINDOW_H

#include "../cnn.h"

/* Columns ow in [*begin, *end) whose whole window lies inside the input width:
   ow·stride_w − pad_left ≥ 0 and ow·stride_w − pad_left + dilation_w·(KW − 1) < W. */
void cnn_window_interior_cols(const cnn_geometry *g, int *begin, int *end);

#endif
