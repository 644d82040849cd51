/* reference.h — naive convolution, forward and backward, straight from the definitions in
   double with 64-bit coordinates, for the edge tests and the fuzz target to compare the
   core's routes against. Sizes from an accepted geometry; buffers hold exactly them. */
#ifndef NATIVE_REFERENCE_H
#define NATIVE_REFERENCE_H

#include "cnn.h"

/* out[n][oc][oh][ow] = bias[oc] + Σ_{c in oc's group, kh, kw} in[n][c][h][w] · weight[oc][c'][kh][kw],
   h = oh·stride_h − pad_top + kh·dilation_h (w alike), 0 outside the input. bias may be NULL. */
void reference_conv2d(double *out, const float *in, const float *weight, const float *bias, const cnn_geometry *g);

/* The adjoint sums of the same terms (overwriting, not accumulating):
   grad_in[n][c][h][w] = Σ grad_out · weight,  grad_weight[oc][c'][kh][kw] = Σ grad_out · in,
   grad_bias[oc] = Σ grad_out. */
void reference_conv2d_backward(double *grad_in, double *grad_weight, double *grad_bias, const float *grad_out,
                               const float *in, const float *weight, const cnn_geometry *g);

/* Element counts of an accepted conv2d geometry's tensors, in double (products of four int32s). */
double reference_input_count(const cnn_geometry *g);
double reference_output_count(const cnn_geometry *g);
double reference_weight_count(const cnn_geometry *g);

/* Pooling of an accepted max/avg geometry, PyTorch's definitions: max = the largest input
   cell of the window (taps every dilation); avg = the sum of the window's input cells over
   the divisor: with count_include_pad the window clipped to the padded input
   [−pad, in + pad) (a ceil_mode window hangs past it), else its input cells. */
void reference_pool2d(double *out, const float *in, const cnn_geometry *g, int max);

#endif
