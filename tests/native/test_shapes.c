/* test_shapes.c — the size, parameter, MAC and receptive-field arithmetic of
   src/shape.c on worked examples, and the conv_transpose2d equivalent checked
   by running it: zero-insert, pad, flip, conv2d must equal the transposed conv. */
#include <math.h>
#include <stdlib.h>
#include "harness.h"

static void out_sizes(void) {
    /* floor((in + pad_total − dilation·(kernel − 1) − 1) / stride) + 1 */
    CHECK(cnn_conv_out_size(224, 7, 2, 6, 1) == 112, "ResNet conv1 224 → 112");
    CHECK(cnn_conv_out_size(5, 3, 1, 0, 1) == 3, "5, kernel 3 → 3");
    CHECK(cnn_conv_out_size(7, 3, 2, 0, 1) == 3, "7, kernel 3, stride 2 → 3");
    CHECK(cnn_conv_out_size(8, 3, 2, 0, 1) == 3, "8, kernel 3, stride 2 → 3 (floor)");
    CHECK(cnn_conv_out_size(7, 3, 1, 0, 3) == 1, "7, kernel 3, dilation 3 → effective 7 → 1");
    CHECK(cnn_conv_out_size(6, 4, 1, 3, 1) == 6, "padding 'same' total 3 for kernel 4");
    CHECK(cnn_conv_out_size(3, 5, 1, 1, 1) == -1, "kernel 5 on padded input 4 must fail");
    /* (in − 1)·stride − pad_total + dilation·(kernel − 1) + output_padding + 1 */
    CHECK(cnn_conv_transpose_out_size(3, 3, 2, 2, 1, 1) == 6, "transposed 3, k3, s2, p1, op1 → 6");
    CHECK(cnn_conv_transpose_out_size(4, 4, 2, 2, 1, 0) == 8, "transposed 4, k4, s2, p1 → 8 (DCGAN)");
    CHECK(cnn_conv_transpose_out_size(2, 3, 1, 0, 2, 1) == 7, "transposed 2, k3, dilation 2, op 1 → 7");
    CHECK(cnn_conv_transpose_out_size(3, 3, 2, 0, 1, 2) == -1, "output_padding 2 ≥ stride 2 and dilation 1");
    CHECK(cnn_conv_transpose_out_size(1, 1, 1, 2, 1, 0) == -1, "output size −1 must fail");
    /* pooling, floor and ceil; ceil drops a last window starting in the padding */
    CHECK(cnn_pool_out_size(6, 2, 2, 0, 1, 0) == 3, "6, pool 2 → 3");
    CHECK(cnn_pool_out_size(5, 2, 2, 0, 1, 0) == 2, "5, pool 2 floor → 2");
    CHECK(cnn_pool_out_size(5, 2, 2, 0, 1, 1) == 3, "5, pool 2 ceil → 3");
    CHECK(cnn_pool_out_size(112, 3, 2, 1, 1, 0) == 56, "ResNet max pool 112 → 56");
    CHECK(cnn_pool_out_size(5, 2, 2, 1, 1, 0) == 3, "5, pool 2, pad 1, floor → 3");
    /* the terms the page prints for ceil_mode: the ceil expression before the last-window rule */
    CHECK(cnn_pool_ceil_size_before_rule(5, 2, 2, 1, 1) == 4, "5, pool 2, pad 1: ceil expression 4");
    CHECK(cnn_pool_ceil_size_before_rule(5, 2, 2, 0, 1) == 3, "5, pool 2: ceil expression 3, nothing dropped");
    CHECK(cnn_pool_ceil_size_before_rule(5, 2, 2, 2, 1) == -1, "padding larger than half the window: invalid");
    CHECK(cnn_pool_out_size(5, 2, 2, 1, 1, 1) == 3,
          "5, pool 2, pad 1, ceil: 4 windows, the last starts at 6 ≥ 5 + 1 in the padding → 3");
    CHECK(cnn_pool_out_size(6, 3, 2, 0, 1, 1) == 3, "6, pool 3, stride 2, ceil → 3 (last window kept)");
    CHECK(cnn_pool_out_size(7, 2, 2, 0, 2, 0) == 3, "7, pool 2, dilation 2 → 3");
}

static void counts(void) {
    CHECK(cnn_conv2d_params(3, 64, 7, 7, 1, 0) == 9408, "ResNet conv1 params");
    CHECK(cnn_conv2d_params(3, 64, 7, 7, 1, 1) == 9472, "conv params with bias");
    CHECK(cnn_conv2d_params(32, 32, 3, 3, 32, 0) == 288, "depthwise 3×3 params");
    CHECK(cnn_conv2d_params(64, 128, 1, 1, 4, 1) == 64 * 128 / 4 + 128, "grouped 1×1 params");
    CHECK(cnn_linear_params(512, 1000, 1) == 513000, "ResNet fc params");
    CHECK(cnn_linear_params(512, 1000, 0) == 512000, "fc params without bias");
    CHECK(cnn_batch_norm2d_params(64, 1) == 128 && cnn_batch_norm2d_params(64, 0) == 0, "batch-norm params");
    cnn_geometry g = cnn_geometry_default();
    g.batch = 1, g.in_channels = 3, g.in_height = g.in_width = 224, g.out_channels = 64;
    g.kernel_h = g.kernel_w = 7, g.stride_h = g.stride_w = 2;
    g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = 3;
    CHECK(cnn_conv2d_macs(&g) == 118013952.0, "ResNet conv1 MACs = 64·112·112·3·49, got %.0f", cnn_conv2d_macs(&g));
    CHECK(cnn_macs_to_flops(118013952.0) == 236027904.0, "FLOPs = 2·MACs");
    g = cnn_geometry_default();
    g.batch = 2, g.in_channels = 4, g.in_height = g.in_width = 3, g.out_channels = 6, g.groups = 2;
    g.kernel_h = g.kernel_w = 3, g.stride_h = g.stride_w = 2;
    CHECK(cnn_conv_transpose2d_macs(&g) == 2 * 4 * 9 * 3 * 9, "transposed MACs = N·C·H·W·(OC/G)·KH·KW");
    CHECK(cnn_linear_macs(2, 512, 1000) == 1024000, "linear MACs");
}

/* ResNet-18's first four layers along one axis: conv 7/2 pad 3, max pool 3/2
   pad 1, two 3×3 convs: RF 7, 11, 19, 27 and jump 2, 4, 4, 4. */
static void receptive_field(void) {
    const int32_t layers[16] = {7, 2, 3, 1, 3, 2, 1, 1, 3, 1, 1, 1, 3, 1, 1, 1};
    const double want[16] = {7, 2, -3, 0, 11, 4, -5, 0, 19, 4, -9, 0, 27, 4, -13, 0};
    double result[16], span[2];
    CHECK(cnn_receptive_field(result, layers, 4) == CNN_OK, "receptive_field: %s", cnn_last_error());
    for (int i = 0; i < 16; i++)
        CHECK(result[i] == want[i], "receptive field layer %d value %d = %g, want %g", i / 4 + 1, i % 4, result[i],
              want[i]);
    CHECK(cnn_receptive_field_span(span, layers, 4, 1) == CNN_OK && span[0] == -9 && span[1] == 17,
          "output pixel 1 sees [−13 + 4, −13 + 4 + 26] = [−9, 17], got [%g, %g]", span[0], span[1]);
    const int32_t dilated[8] = {3, 1, 0, 2, 3, 1, 0, 4};
    CHECK(cnn_receptive_field(result, dilated, 2) == CNN_OK && result[0] == 5 && result[4] == 13,
          "dilations 2 and 4: RF 5 then 13");
}

/* padding='same': total dilation·(kernel − 1), the odd one at the bottom/right. */
static void pad_same(void) {
    cnn_geometry g = cnn_geometry_default();
    g.kernel_h = 4, g.kernel_w = 2, g.dilation_w = 3;
    CHECK(cnn_conv2d_pad_same(&g) == CNN_OK && g.pad_top == 1 && g.pad_bottom == 2 && g.pad_left == 1 &&
              g.pad_right == 2,
          "kernel (4, 2), dilation (1, 3): pads (1, 1, 2, 2), got (%d, %d, %d, %d)", g.pad_top, g.pad_left,
          g.pad_bottom, g.pad_right);
    g.kernel_h = 3, g.kernel_w = 3, g.dilation_h = 2, g.dilation_w = 1;
    CHECK(cnn_conv2d_pad_same(&g) == CNN_OK && g.pad_top == 2 && g.pad_bottom == 2 && g.pad_left == 1 &&
              g.pad_right == 1,
          "kernel 3, dilation (2, 1): pads (2, 1, 2, 1)");
    g.batch = 1, g.in_channels = 1, g.out_channels = 1, g.in_height = 7, g.in_width = 4;
    g.kernel_h = 6, g.kernel_w = 2, g.dilation_h = 1, g.dilation_w = 1;
    CHECK(cnn_conv2d_pad_same(&g) == CNN_OK && cnn_conv2d_geometry(&g) == CNN_OK && g.out_height == 7 &&
              g.out_width == 4,
          "padding='same' keeps 7×4, got %d×%d", g.out_height, g.out_width);
}

/* Zero-insert, pad (crop when negative), flip the kernel, conv2d at stride 1:
   the output must equal conv_transpose2d's. groups = 1, so the conv weight is
   the transposed weight [C, OC, KH, KW] with C and OC swapped. */
static void check_equivalent(const char *label, cnn_geometry g) {
    int32_t e[6];
    CHECK(cnn_conv_transpose2d_equivalent(e, &g) == CNN_OK && cnn_conv_transpose2d_geometry(&g) == CNN_OK, "%s: %s",
          label, cnn_last_error());
    const int C = g.in_channels, OC = g.out_channels, KH = g.kernel_h, KW = g.kernel_w;
    const int H = e[0] + e[2] + e[4], W = e[1] + e[3] + e[5]; /* padded zero-inserted input */
    float *in = random_floats(C * g.in_height * g.in_width), *weight = random_floats(C * OC * KH * KW);
    float *stretched = zero_floats(C * H * W), *flipped = zero_floats(OC * C * KH * KW);
    for (int c = 0; c < C; c++)
        for (int y = 0; y < g.in_height; y++)
            for (int x = 0; x < g.in_width; x++) {
                const int h = y * g.stride_h + e[2], w = x * g.stride_w + e[3];
                if (h >= 0 && h < H && w >= 0 && w < W)
                    stretched[(c * H + h) * W + w] = in[(c * g.in_height + y) * g.in_width + x];
            }
    for (int c = 0; c < C; c++)
        for (int oc = 0; oc < OC; oc++)
            for (int kh = 0; kh < KH; kh++)
                for (int kw = 0; kw < KW; kw++)
                    flipped[((oc * C + c) * KH + KH - 1 - kh) * KW + KW - 1 - kw] =
                        weight[((c * OC + oc) * KH + kh) * KW + kw];
    cnn_geometry conv = cnn_geometry_default();
    conv.batch = 1, conv.in_channels = C, conv.out_channels = OC, conv.in_height = H, conv.in_width = W;
    conv.kernel_h = KH, conv.kernel_w = KW, conv.dilation_h = g.dilation_h, conv.dilation_w = g.dilation_w;
    const int out_count = OC * g.out_height * g.out_width;
    float *via_conv = filled_floats(out_count, SENTINEL), *direct = filled_floats(out_count, SENTINEL);
    CHECK(cnn_conv2d_geometry(&conv) == CNN_OK && conv.out_height == g.out_height && conv.out_width == g.out_width,
          "%s: the equivalent conv gives %d×%d, the transposed conv %d×%d", label, conv.out_height, conv.out_width,
          g.out_height, g.out_width);
    if (conv.out_height == g.out_height && conv.out_width == g.out_width) {
        cnn_conv2d_forward(via_conv, stretched, flipped, NULL, &conv);
        cnn_conv_transpose2d_forward(direct, in, weight, NULL, &g);
        int same = 1;
        for (int i = 0; i < out_count; i++) same &= close_enough(via_conv[i], direct[i], 1e-5, 1e-5);
        CHECK(same, "%s: zero-insert + pad + flipped conv differs from conv_transpose2d", label);
    }
    free(in), free(weight), free(stretched), free(flipped), free(via_conv), free(direct);
}

static void transposed_equivalent(void) {
    cnn_geometry g = cnn_geometry_default();
    g.batch = 1, g.in_channels = 2, g.out_channels = 3, g.in_height = 3, g.in_width = 4;
    g.kernel_h = g.kernel_w = 3, g.stride_h = g.stride_w = 2, g.output_padding_h = 1;
    g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = 1;
    int32_t e[6];
    CHECK(cnn_conv_transpose2d_equivalent(e, &g) == CNN_OK && e[0] == 5 && e[1] == 7 && e[2] == 1 && e[3] == 1 &&
              e[4] == 2 && e[5] == 1,
          "3×4, k3, s2, p1, op (1, 0): zero-inserted 5×7, pads (1, 1, 2, 1), got %d×%d (%d, %d, %d, %d)", e[0], e[1],
          e[2], e[3], e[4], e[5]);
    check_equivalent("k3 s2 p1 op(1,0)", g);
    g.kernel_h = 2, g.kernel_w = 3, g.stride_h = 3, g.stride_w = 1, g.dilation_w = 2;
    g.pad_top = 2, g.pad_bottom = 0, g.pad_left = 0, g.pad_right = 3, g.output_padding_h = 2, g.output_padding_w = 1;
    check_equivalent("k(2,3) s(3,1) dilation (1,2), pads (2,0,0,3) cropping, op (2,1)", g);
}

void test_shapes(void) {
    out_sizes();
    counts();
    receptive_field();
    pad_same();
    transposed_equivalent();
}
