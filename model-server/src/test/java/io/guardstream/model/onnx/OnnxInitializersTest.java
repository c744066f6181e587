package io.guardstream.model.onnx;

import com.google.protobuf.CodedOutputStream;
import io.guardstream.model.onnx.OnnxInitializers.FloatTensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** ONNX models written field by field with protobuf's encoder (ModelProto.graph = 7, GraphProto.node = 1, initializer = 5). */
class OnnxInitializersTest {

    private static final int FLOAT = 1;
    private static final int UINT8 = 2;
    private static final int INT8 = 3;

    @Test
    void shouldReadFloatWeightsAndNameThemAfterTheirMatMul() throws IOException {
        byte[] graph = concat(
                node("MatMul", List.of("/x", "onnx::MatMul_7"), "/encoder/layer.0/output/dense/MatMul_output_0"),
                floatTensor("onnx::MatMul_7", new long[] {2, 2}, new float[] {1, 2, 3, 4}, true),
                floatTensor("encoder.layer.0.output.dense.bias", new long[] {2}, new float[] {0.5f, -0.5f}, false));
        Map<String, FloatTensor> w = OnnxInitializers.read(new ByteArrayInputStream(model(graph)));

        assertThat(w.get("encoder.layer.0.output.dense.weight").data()).containsExactly(1, 2, 3, 4);
        assertThat(w.get("encoder.layer.0.output.dense.weight").shape()).containsExactly(2, 2);
        assertThat(w.get("encoder.layer.0.output.dense.bias").data()).containsExactly(0.5f, -0.5f);
    }

    @Test
    void shouldDequantizeEightBitWeightsPerColumnAndPerTensor() throws IOException {
        byte[] graph = concat(
                node("MatMulInteger", List.of("/x_q", "onnx::MatMul_9_quantized", "/x_zp", "onnx::MatMul_9_zero_point"),
                        "/encoder/layer.3/attention/self/query/MatMul_output_0_output_quantized"),
                // int8 [2, 3], per output column: scales 0.5, 0.25, 2; zero points 0, 1, -1 (packed int32_data)
                rawTensor("onnx::MatMul_9_quantized", INT8, new long[] {2, 3}, new byte[] {-128, 1, 3, 127, -3, 0}),
                floatTensor("onnx::MatMul_9_scale", new long[] {3}, new float[] {0.5f, 0.25f, 2f}, false),
                intTensor("onnx::MatMul_9_zero_point", INT8, new long[] {3}, new int[] {0, 1, -1}),
                // uint8 [2, 2] embedding table, one scale and zero point: (q - 128) * 0.01
                rawTensor("embeddings.word_embeddings.weight_quantized", UINT8, new long[] {2, 2},
                        new byte[] {(byte) 255, (byte) 128, 0, (byte) 130}),
                floatTensor("embeddings.word_embeddings.weight_scale", new long[0], new float[] {0.01f}, false),
                intTensor("embeddings.word_embeddings.weight_zero_point", UINT8, new long[0], new int[] {128}));
        Map<String, FloatTensor> w = OnnxInitializers.read(new ByteArrayInputStream(model(graph)));

        FloatTensor query = w.get("encoder.layer.3.attention.self.query.weight");
        assertThat(query).isNotNull();
        assertThat(query.shape()).containsExactly(2, 3);
        assertThat(query.data()).containsExactly(-64f, 0f, 8f, 63.5f, -1f, 2f);
        FloatTensor emb = w.get("embeddings.word_embeddings.weight");
        assertThat(emb.shape()).containsExactly(2, 2);
        float[] expected = {1.27f, 0f, -1.28f, 0.02f};
        for (int i = 0; i < expected.length; i++) {
            assertThat(emb.data()[i]).isCloseTo(expected[i], within(1e-6f));
        }
    }

    private static byte[] model(byte[] graph) throws IOException {
        return message(out -> out.writeByteArray(7, graph));
    }

    private static byte[] node(String op, List<String> inputs, String output) throws IOException {
        byte[] node = message(out -> {
            for (String in : inputs) {
                out.writeString(1, in);
            }
            out.writeString(2, output);
            out.writeString(4, op);
        });
        return message(out -> out.writeByteArray(1, node));
    }

    private static byte[] floatTensor(String name, long[] dims, float[] data, boolean raw) throws IOException {
        return initializer(out -> {
            writeDims(out, dims);
            out.writeInt32(2, FLOAT);
            if (raw) {
                ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : data) {
                    b.putFloat(f);
                }
                out.writeString(8, name);
                out.writeByteArray(9, b.array());
            } else {
                for (float f : data) {
                    out.writeFloat(4, f);
                }
                out.writeString(8, name);
            }
        });
    }

    private static byte[] rawTensor(String name, int type, long[] dims, byte[] data) throws IOException {
        return initializer(out -> {
            writeDims(out, dims);
            out.writeInt32(2, type);
            out.writeString(8, name);
            out.writeByteArray(9, data);
        });
    }

    /** 8-bit values in {@code int32_data}, packed as protobuf writes repeated scalars. */
    private static byte[] intTensor(String name, int type, long[] dims, int[] data) throws IOException {
        byte[] packed = message(out -> {
            for (int v : data) {
                out.writeInt32NoTag(v);
            }
        });
        return initializer(out -> {
            writeDims(out, dims);
            out.writeInt32(2, type);
            out.writeByteArray(5, packed);
            out.writeString(8, name);
        });
    }

    private static void writeDims(CodedOutputStream out, long[] dims) throws IOException {
        for (long d : dims) {
            out.writeInt64(1, d);
        }
    }

    private static byte[] initializer(Writer body) throws IOException {
        byte[] tensor = message(body);
        return message(out -> out.writeByteArray(5, tensor));
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Writer body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        body.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
