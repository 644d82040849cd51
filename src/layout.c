/* layout.c — the layout of every struct and constant the JS binding mirrors, as JSON, so a test
   can check the mirrors against the compiled core instead of a copy made by hand:
     {"geometry": {"bytes": …, "fields": [[name, byte offset], …]},
      "trace_term": {"bytes": …, "ints": …, "floats": …, "fields": [[name, byte offset, type], …]},
      "layer": {"fields": CNN_LAYER_FIELDS, "kinds": {torch.nn class name: cnn_layer_kind, …}},
      "error_bytes": the size of cnn_last_error()'s buffer}
   The field lists name each member once; the static asserts tie their counts to the structs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include "cnn_network.h"
#include "internal.h"

typedef struct {
    const char *name;
    size_t offset;
} field;

#define GEOMETRY_FIELD(member)                                                                                         \
    { #member, offsetof(cnn_geometry, member) }
static const field GEOMETRY[] = {GEOMETRY_FIELD(batch),
                                 GEOMETRY_FIELD(in_channels),
                                 GEOMETRY_FIELD(in_height),
                                 GEOMETRY_FIELD(in_width),
                                 GEOMETRY_FIELD(out_channels),
                                 GEOMETRY_FIELD(out_height),
                                 GEOMETRY_FIELD(out_width),
                                 GEOMETRY_FIELD(kernel_h),
                                 GEOMETRY_FIELD(kernel_w),
                                 GEOMETRY_FIELD(stride_h),
                                 GEOMETRY_FIELD(stride_w),
                                 GEOMETRY_FIELD(pad_top),
                                 GEOMETRY_FIELD(pad_left),
                                 GEOMETRY_FIELD(pad_bottom),
                                 GEOMETRY_FIELD(pad_right),
                                 GEOMETRY_FIELD(dilation_h),
                                 GEOMETRY_FIELD(dilation_w),
                                 GEOMETRY_FIELD(groups),
                                 GEOMETRY_FIELD(output_padding_h),
                                 GEOMETRY_FIELD(output_padding_w),
                                 GEOMETRY_FIELD(ceil_mode),
                                 GEOMETRY_FIELD(count_include_pad)};
_Static_assert(sizeof GEOMETRY / sizeof GEOMETRY[0] == CNN_GEOMETRY_FIELDS, "a cnn_geometry field is missing here");
_Static_assert(sizeof(cnn_geometry) == CNN_GEOMETRY_FIELDS * sizeof(int32_t), "cnn_geometry is not all int32 fields");

#define TERM_FIELD(member)                                                                                             \
    { #member, offsetof(cnn_trace_term, member) }
static const field TRACE_TERM[] = {TERM_FIELD(channel),    TERM_FIELD(row),        TERM_FIELD(col),
                                   TERM_FIELD(padded_row), TERM_FIELD(padded_col), TERM_FIELD(kernel_row),
                                   TERM_FIELD(kernel_col), TERM_FIELD(in_bounds),  TERM_FIELD(value),
                                   TERM_FIELD(weight),     TERM_FIELD(product)};
_Static_assert(sizeof TRACE_TERM / sizeof TRACE_TERM[0] == CNN_TRACE_TERM_INTS + CNN_TRACE_TERM_FLOATS,
               "a cnn_trace_term field is missing here");
_Static_assert(sizeof(cnn_trace_term) == (CNN_TRACE_TERM_INTS + CNN_TRACE_TERM_FLOATS) * 4,
               "cnn_trace_term has padding");

static const struct {
    const char *name;
    cnn_layer_kind kind;
} KINDS[] = {{"Conv2d", CNN_LAYER_CONV2D},
             {"MaxPool2d", CNN_LAYER_MAX_POOL2D},
             {"AvgPool2d", CNN_LAYER_AVG_POOL2D},
             {"AdaptiveAvgPool2d", CNN_LAYER_ADAPTIVE_AVG_POOL2D},
             {"BatchNorm2d", CNN_LAYER_BATCH_NORM2D},
             {"ReLU", CNN_LAYER_RELU},
             {"Flatten", CNN_LAYER_FLATTEN},
             {"Linear", CNN_LAYER_LINEAR}};

static char text[2048];

/* Appends to text at *used, printf-style (the text is sized for every field above). */
static void append(int *used, const char *format, ...) __attribute__((format(printf, 2, 3)));
static void append(int *used, const char *format, ...) {
    va_list args;
    va_start(args, format);
    *used += vsnprintf(text + *used, sizeof text - (size_t)*used, format, args);
    va_end(args);
}

const char *cnn_layout(void) {
    int used = 0;
    append(&used, "{\"geometry\":{\"bytes\":%zu,\"fields\":[", sizeof(cnn_geometry));
    for (size_t i = 0; i < sizeof GEOMETRY / sizeof GEOMETRY[0]; i++)
        append(&used, "%s[\"%s\",%zu]", i ? "," : "", GEOMETRY[i].name, GEOMETRY[i].offset);
    append(&used, "]},\"trace_term\":{\"bytes\":%zu,\"ints\":%d,\"floats\":%d,\"fields\":[", sizeof(cnn_trace_term),
           CNN_TRACE_TERM_INTS, CNN_TRACE_TERM_FLOATS);
    for (size_t i = 0; i < sizeof TRACE_TERM / sizeof TRACE_TERM[0]; i++)
        append(&used, "%s[\"%s\",%zu,\"%s\"]", i ? "," : "", TRACE_TERM[i].name, TRACE_TERM[i].offset,
               i < CNN_TRACE_TERM_INTS ? "int32" : "float32");
    append(&used, "]},\"layer\":{\"fields\":%d,\"kinds\":{", CNN_LAYER_FIELDS);
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
        append(&used, "%s\"%s\":%d", i ? "," : "", KINDS[i].name, (int)KINDS[i].kind);
    append(&used, "}},\"error_bytes\":%zu}", cnn_last_error_bytes());
    return text;
}
