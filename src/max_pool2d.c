/* max_pool2d.c — max pooling, forward and backward.
   https://pytorch.org/docs/stable/generated/torch.nn.MaxPool2d.html

   Shapes: in [N, C, H, W], out and argmax [N, C, OH, OW] (OH from cnn_pool_out_size).
     out[n, c, oh, ow] = max over kh, kw of in[n, c, oh·stride_h − pad_top + kh·dilation_h,
                                                  ow·stride_w − pad_left + kw·dilation_w]
   taken over the taps inside the input (padding never wins), by PyTorch's
   rule (kernels/pool.h): NaN wins, ties keep the first tap in row-major
   order. argmax holds the winner's flat index h·W + w in its plane. Backward
   routes each upstream gradient to its winner: grad_in[argmax] += grad_out.
   Without argmax (NULL, inference) forward takes the values only, the taps in
   column-major order: the same values, but for the sign of a zero max when a
   window holds both −0 and +0. */
#include "internal.h"
#include "kernels/microkernels.h"

cnn_status cnn_max_pool2d_forward(float *out, int32_t *argmax, const float *in, const cnn_geometry *geometry) {
    cnn_geometry g = *geometry;
    cnn_status status = cnn_max_pool2d_geometry(&g);
    if (status) return status;
    const long planes = (long)g.batch * g.in_channels;
    const long in_plane = (long)g.in_height * g.in_width, out_plane = (long)g.out_height * g.out_width;
    if (argmax) {
        for (long p = 0; p < planes; p++)
            cnn_max_pool_microkernel(out + p * out_plane, argmax + p * out_plane, in + p * in_plane, &g);
        return CNN_OK;
    }
    for (long p = 0; p < planes; p++) cnn_max_pool_values_microkernel(out + p * out_plane, in + p * in_plane, &g);
    return CNN_OK;
}

cnn_status cnn_max_pool2d_backward(float *grad_in, const float *grad_out, const int32_t *argmax,
                                   const cnn_geometry *geometry) {
    cnn_geometry g = *geometry;
    cnn_status status = cnn_max_pool2d_geometry(&g);
    if (status) return status;
    const long planes = (long)g.batch * g.in_channels;
    const long in_plane = (long)g.in_height * g.in_width, out_plane = (long)g.out_height * g.out_width;
    /* Check every index before writing anything, so a bad one changes nothing
       (without an early exit, so that the check vectorises; then find the first). */
    const long count = planes * out_plane;
    int outside = 0;
    for (long i = 0; i < count; i++) outside |= (uint32_t)argmax[i] >= (uint32_t)in_plane;
    if (outside)
        for (long i = 0; i < count; i++)
            if (argmax[i] < 0 || argmax[i] >= in_plane)
                return cnn_fail(CNN_INVALID_ARGUMENT, "max_pool2d backward",
                                "argmax[%ld] = %d is outside the input plane of %ld elements", i, argmax[i], in_plane);
    for (long p = 0; p < planes; p++)
        for (long i = 0; i < out_plane; i++)
            grad_in[p * in_plane + argmax[p * out_plane + i]] += grad_out[p * out_plane + i];
    return CNN_OK;
}
