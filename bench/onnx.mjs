// Single-op ONNX models, hand-encoded: just enough protobuf (varints, packed
// floats and ints, nested messages) to write a ModelProto with one node, its
// graph inputs and outputs, and its weights as initializers (so onnxruntime may
// pre-pack them, as it would for a real model).
// Field numbers: https://github.com/onnx/onnx/blob/main/onnx/onnx.proto

const WIRE_VARINT = 0,
  WIRE_BYTES = 2;
const FLOAT = 1; // TensorProto.DataType
const ATTRIBUTE_INT = 2,
  ATTRIBUTE_INTS = 7; // AttributeProto.AttributeType

/** A growable byte buffer with the protobuf primitives. */
class Writer {
  bytes = [];
  varint(value) {
    let v = BigInt.asUintN(64, BigInt(value)); // negative int64s are ten-byte varints
    do {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      this.bytes.push(v ? byte | 0x80 : byte);
    } while (v);
    return this;
  }
  tag(field, wire) {
    return this.varint((field << 3) | wire);
  }
  int(field, value) {
    return this.tag(field, WIRE_VARINT).varint(value);
  }
  bytesField(field, bytes) {
    this.tag(field, WIRE_BYTES).varint(bytes.length);
    for (const b of bytes) this.bytes.push(b);
    return this;
  }
  string(field, text) {
    return this.bytesField(field, new TextEncoder().encode(text));
  }
  message(field, writer) {
    return this.bytesField(field, writer.bytes);
  }
  packedInts(field, values) {
    const inner = new Writer();
    for (const v of values) inner.varint(v);
    return this.bytesField(field, inner.bytes);
  }
  finish() {
    return Uint8Array.from(this.bytes);
  }
}

// ValueInfoProto {name = 1, type = 2}; TypeProto {tensor_type = 1};
// TypeProto.Tensor {elem_type = 1, shape = 2}; TensorShapeProto {dim = 1}; Dimension {dim_value = 1}.
function valueInfo(name, shape) {
  const dims = new Writer();
  for (const size of shape) dims.message(1, new Writer().int(1, size));
  const tensorType = new Writer().int(1, FLOAT).message(2, dims);
  return new Writer().string(1, name).message(2, new Writer().message(1, tensorType));
}

// TensorProto {dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian floats)}.
function initializer(name, shape, data) {
  const raw = new Uint8Array(Float32Array.from(data).buffer);
  return new Writer().packedInts(1, shape).int(2, FLOAT).string(8, name).bytesField(9, raw);
}

// AttributeProto {name = 1, i = 3, ints = 8, type = 20}: numbers become INT, arrays INTS.
function attribute(name, value) {
  const a = new Writer().string(1, name);
  if (Array.isArray(value)) a.packedInts(8, value).int(20, ATTRIBUTE_INTS);
  else a.int(3, value).int(20, ATTRIBUTE_INT);
  return a;
}

/**
 * A model with one node: opType over inputs (graph inputs, fed at run time)
 * and weights (initializers), producing one output.
 *   inputs:  [{name, shape}]   weights: [{name, shape, data}]   output: {name, shape}
 *   attributes: {name: int | int[]}
 */
export function singleOpModel({ opType, inputs, weights = [], output, attributes = {}, opset = 17 }) {
  // NodeProto {input = 1, output = 2, name = 3, op_type = 4, attribute = 5}
  const node = new Writer();
  for (const { name } of [...inputs, ...weights]) node.string(1, name);
  node.string(2, output.name).string(3, opType.toLowerCase()).string(4, opType);
  for (const [name, value] of Object.entries(attributes)) node.message(5, attribute(name, value));
  // GraphProto {node = 1, name = 2, initializer = 5, input = 11, output = 12}
  const graph = new Writer().message(1, node).string(2, `${opType} benchmark`);
  for (const w of weights) graph.message(5, initializer(w.name, w.shape, w.data));
  for (const i of inputs) graph.message(11, valueInfo(i.name, i.shape));
  graph.message(12, valueInfo(output.name, output.shape));
  // ModelProto {ir_version = 1, producer_name = 2, graph = 7, opset_import = 8};
  // OperatorSetIdProto {domain = 1, version = 2}
  return new Writer()
    .int(1, 8)
    .string(2, 'cnn-see bench')
    .message(7, graph)
    .message(8, new Writer().string(1, '').int(2, opset))
    .finish();
}
