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
 */
public final class OnnxInitializers {

    private static final int FLOAT = 1;

    private OnnxInitializers() {
    }

    /** A dense fp32 tensor in row-major order. */
    public record FloatTensor(long[] shape, float[] data) {
        public int rows() {
            return (int) shape[0];
        }
    }

    /** Reads every fp32 initializer of the model in {@code in}, keyed by name (and module alias). */
    public static Map<String, FloatTensor> read(InputStream in) throws IOException {
        CodedInputStream model = CodedInputStream.newInstance(in);
        model.setSizeLimit(Integer.MAX_VALUE);
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        List<String[]> matMuls = new ArrayList<>();
        while (true) {
            int tag = model.readTag();
            if (tag == 0) {
                break;
            }
            if (tag >>> 3 == 7) {
                int limit = model.pushLimit(model.readRawVarint32());
                readGraph(model, tensors, matMuls);
                model.popLimit(limit);
            } else {
                model.skipField(tag);
            }
        }
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

    private static void readGraph(CodedInputStream g, Map<String, FloatTensor> tensors, List<String[]> matMuls)
            throws IOException {
        while (true) {
            int tag = g.readTag();
            if (tag == 0) {
                return;
            }
            int field = tag >>> 3;
            if (field == 5) {
                int limit = g.pushLimit(g.readRawVarint32());
                readTensor(g, tensors);
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
        }
    }

    private static void readTensor(CodedInputStream t, Map<String, FloatTensor> tensors) throws IOException {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        String name = null;
        byte[] raw = null;
        List<Float> floats = new ArrayList<>();
        while (true) {
            int tag = t.readTag();
            if (tag == 0) {
                break;
            }
            int field = tag >>> 3;
            int wire = tag & 7;
            switch (field) {
                case 1 -> {
                    if (wire == 2) {
                        int limit = t.pushLimit(t.readRawVarint32());
                        while (t.getBytesUntilLimit() > 0) {
                            dims.add(t.readInt64());
                        }
                        t.popLimit(limit);
                    } else {
                        dims.add(t.readInt64());
                    }
                }
                case 2 -> type = t.readInt32();
                case 4 -> {
                    if (wire == 2) {
                        int limit = t.pushLimit(t.readRawVarint32());
                        while (t.getBytesUntilLimit() > 0) {
                            floats.add(t.readFloat());
                        }
                        t.popLimit(limit);
                    } else {
                        floats.add(t.readFloat());
                    }
                }
                case 8 -> name = t.readString();
                case 9 -> raw = t.readByteArray();
                default -> t.skipField(tag);
            }
        }
        if (type != FLOAT || name == null) {
            return;
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
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
}
