package io.guardstream.model.onnx;

import com.google.protobuf.CodedInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the float initializers of an ONNX model (protobuf {@code ModelProto}) without ONNX Runtime.
 *
 * <p>Weights that the exporter left unnamed ({@code onnx::MatMul_787}) are also registered under the
 * name of the module that uses them, derived from the consuming {@code MatMul} node's output
 * ({@code /encoder/layer.0/attention/self/query/MatMul_output_0} gives
 * {@code encoder.layer.0.attention.self.query.weight}).
 *
 * <p>Models quantized by ONNX Runtime's dynamic quantization keep 8-bit weights ({@code W_quantized}, with
 * {@code W_scale} and {@code W_zero_point}, per tensor or per output column) consumed by {@code MatMulInteger} or a
 * {@code Gather}; these are dequantized to fp32 ({@code (q - zero point) * scale}) and registered under {@code W}
 * and, for {@code MatMulInteger}, under the module name as above.
 */
public final class OnnxInitializers {

    private static final int FLOAT = 1;
    private static final int UINT8 = 2;
    private static final int INT8 = 3;
    private static final String QUANTIZED = "_quantized";

    private OnnxInitializers() {
    }

    /** A dense fp32 tensor in row-major order. */
    public record FloatTensor(long[] shape, float[] data) {
        public int rows() {
            return (int) shape[0];
        }
    }

    /** An 8-bit initializer, widened to ints. */
    private record IntTensor(long[] shape, int[] data) {
    }

    /**
     * Reads every fp32 initializer of the model in {@code in}, and every dequantized 8-bit weight, keyed by name (and
     * module alias).
     */
    public static Map<String, FloatTensor> read(InputStream in) throws IOException {
        CodedInputStream model = CodedInputStream.newInstance(in);
        model.setSizeLimit(Integer.MAX_VALUE);
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        Map<String, IntTensor> ints = new LinkedHashMap<>();
        List<String[]> matMuls = new ArrayList<>();
        while (true) {
            int tag = model.readTag();
            if (tag == 0) {
                break;
            }
            if (tag >>> 3 == 7) {
                int limit = model.pushLimit(model.readRawVarint32());
                readGraph(model, tensors, ints, matMuls);
                model.popLimit(limit);
            } else {
                model.skipField(tag);
            }
        }
        dequantize(ints, tensors);
        for (String[] mm : matMuls) {
            FloatTensor w = tensors.get(mm[0]);
            String out = mm[1];
            if (w != null && out.startsWith("/") && out.endsWith("/MatMul_output_0")) {
                String module = out.substring(1, out.length() - "/MatMul_output_0".length()).replace('/', '.');
                tensors.putIfAbsent(module + ".weight", w);
            }
        }
        return tensors;
    }

    /** {@code W = (W_quantized - W_zero_point) * W_scale}, scale and zero point per tensor or per last axis. */
    private static void dequantize(Map<String, IntTensor> ints, Map<String, FloatTensor> tensors) {
        for (Map.Entry<String, IntTensor> e : ints.entrySet()) {
            if (!e.getKey().endsWith(QUANTIZED)) {
                continue;
            }
            String base = e.getKey().substring(0, e.getKey().length() - QUANTIZED.length());
            FloatTensor scale = tensors.get(base + "_scale");
            IntTensor zero = ints.get(base + "_zero_point");
            if (scale == null || zero == null) {
                continue;
            }
            IntTensor q = e.getValue();
            int columns = q.shape().length == 0 ? 1 : (int) q.shape()[q.shape().length - 1];
            boolean perColumn = scale.data().length > 1;
            if ((perColumn && scale.data().length != columns) || zero.data().length != scale.data().length) {
                throw new IllegalArgumentException("quantization parameters of " + base + " fit neither the tensor"
                        + " nor its columns");
            }
            float[] data = new float[q.data().length];
            for (int i = 0; i < data.length; i++) {
                int c = perColumn ? i % columns : 0;
                data[i] = (q.data()[i] - zero.data()[c]) * scale.data()[c];
            }
            tensors.put(base, new FloatTensor(q.shape(), data));
        }
    }

    private static void readGraph(CodedInputStream g, Map<String, FloatTensor> tensors, Map<String, IntTensor> ints,
                                  List<String[]> matMuls) throws IOException {
        while (true) {
            int tag = g.readTag();
            if (tag == 0) {
                return;
            }
            int field = tag >>> 3;
            if (field == 5) {
                int limit = g.pushLimit(g.readRawVarint32());
                readTensor(g, tensors, ints);
                g.popLimit(limit);
            } else if (field == 1) {
                int limit = g.pushLimit(g.readRawVarint32());
                readNode(g, matMuls);
                g.popLimit(limit);
            } else {
                g.skipField(tag);
            }
        }
    }

    private static void readNode(CodedInputStream n, List<String[]> matMuls) throws IOException {
        List<String> inputs = new ArrayList<>();
        String output = null;
        String op = null;
        while (true) {
            int tag = n.readTag();
            if (tag == 0) {
                break;
            }
            switch (tag >>> 3) {
                case 1 -> inputs.add(n.readString());
                case 2 -> output = n.readString();
                case 4 -> op = n.readString();
                default -> n.skipField(tag);
            }
        }
        if ("MatMul".equals(op) && inputs.size() == 2 && output != null) {
            matMuls.add(new String[] {inputs.get(1), output});
        } else if ("MatMulInteger".equals(op) && inputs.size() >= 2 && output != null
                && inputs.get(1).endsWith(QUANTIZED) && output.endsWith("_output" + QUANTIZED)) {
            String weight = inputs.get(1);
            matMuls.add(new String[] {weight.substring(0, weight.length() - QUANTIZED.length()),
                    output.substring(0, output.length() - ("_output" + QUANTIZED).length())});
        }
    }

    private static void readTensor(CodedInputStream t, Map<String, FloatTensor> tensors, Map<String, IntTensor> ints)
            throws IOException {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        String name = null;
        byte[] raw = null;
        List<Float> floats = new ArrayList<>();
        List<Integer> int32s = new ArrayList<>();
        while (true) {
            int tag = t.readTag();
            if (tag == 0) {
                break;
            }
            int field = tag >>> 3;
            int wire = tag & 7;
            switch (field) {
                case 1 -> readRepeated(t, wire, () -> dims.add(t.readInt64()));
                case 2 -> type = t.readInt32();
                case 4 -> readRepeated(t, wire, () -> floats.add(t.readFloat()));
                case 5 -> readRepeated(t, wire, () -> int32s.add(t.readInt32()));
                case 8 -> name = t.readString();
                case 9 -> raw = t.readByteArray();
                default -> t.skipField(tag);
            }
        }
        if (name == null) {
            return;
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        if (type == UINT8 || type == INT8) {
            boolean unsigned = type == UINT8;
            int[] data;
            if (raw != null) {
                data = new int[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    data[i] = unsigned ? raw[i] & 0xff : raw[i];
                }
            } else {
                // int32_data holds 8-bit values widened
                data = int32s.stream().mapToInt(v -> unsigned ? v & 0xff : (byte) (int) v).toArray();
            }
            ints.put(name, new IntTensor(shape, data));
            return;
        }
        if (type != FLOAT) {
            return;
        }
        float[] data;
        if (raw != null) {
            data = new float[raw.length / 4];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        } else {
            data = new float[floats.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = floats.get(i);
            }
        }
        tensors.put(name, new FloatTensor(shape, data));
    }

    /** One value of a repeated scalar field, read from the stream. */
    private interface ValueReader {
        void read() throws IOException;
    }

    /** A repeated scalar field: all values of a packed run ({@code wire} 2), or the one value of an unpacked entry. */
    private static void readRepeated(CodedInputStream t, int wire, ValueReader value) throws IOException {
        if (wire != 2) {
            value.read();
            return;
        }
        int limit = t.pushLimit(t.readRawVarint32());
        while (t.getBytesUntilLimit() > 0) {
            value.read();
        }
        t.popLimit(limit);
    }
}
