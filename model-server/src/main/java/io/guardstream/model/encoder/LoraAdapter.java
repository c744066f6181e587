package io.guardstream.model.encoder;

import io.guardstream.model.onnx.OnnxInitializers.FloatTensor;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Low-rank adapters learnt for the encoder's linear modules: a module's weight {@code W [in, out]} becomes
 * {@code W + scale * A B} with {@code A [in, rank]} and {@code B [rank, out]}. Serving merges them into the
 * pretrained weights once at load time ({@link #mergeInto}), so an adapted encoder runs exactly as fast as the
 * original.
 */
public record LoraAdapter(int rank, float scale, Map<String, Factors> modules) {

    /** The two factors of one module, row-major. */
    public record Factors(int in, int out, float[] a, float[] b) {
        public Factors {
            if (a.length % in != 0 || a.length / in != b.length / out || b.length % out != 0) {
                throw new IllegalArgumentException("factor shapes do not match " + in + "x" + out);
            }
        }

        int rank() {
            return a.length / in;
        }
    }

    public LoraAdapter {
        modules = Map.copyOf(modules);
    }

    /** A copy of {@code weights} with every adapted module's weight replaced by {@code W + scale * A B}. */
    public Map<String, FloatTensor> mergeInto(Map<String, FloatTensor> weights) {
        Map<String, FloatTensor> merged = new HashMap<>(weights);
        for (Map.Entry<String, Factors> e : modules.entrySet()) {
            String name = e.getKey() + ".weight";
            FloatTensor w = weights.get(name);
            Factors f = e.getValue();
            if (w == null || w.shape().length != 2 || w.shape()[0] != f.in() || w.shape()[1] != f.out()) {
                throw new IllegalArgumentException("adapter module " + e.getKey() + " does not fit the encoder");
            }
            merged.put(name, new FloatTensor(w.shape(), plusProduct(w.data(), f)));
        }
        return merged;
    }

    private float[] plusProduct(float[] w, Factors f) {
        float[] out = w.clone();
        int r = f.rank();
        for (int i = 0; i < f.in(); i++) {
            for (int k = 0; k < r; k++) {
                float a = scale * f.a()[i * r + k];
                int row = i * f.out();
                int brow = k * f.out();
                for (int j = 0; j < f.out(); j++) {
                    out[row + j] += a * f.b()[brow + j];
                }
            }
        }
        return out;
    }

    /**
     * The factor-wise mean of adapters trained from a common starting adapter (a "model soup"): same rank, scale and
     * modules. Averaging the factors instead of the products {@code A B} keeps the rank; for runs that started from
     * the same factors and moved little from them, the two agree to first order.
     */
    public static LoraAdapter average(List<LoraAdapter> adapters) {
        if (adapters.isEmpty()) {
            throw new IllegalArgumentException("no adapters to average");
        }
        LoraAdapter first = adapters.get(0);
        for (LoraAdapter other : adapters) {
            if (other.rank != first.rank || other.scale != first.scale || !other.modules.keySet().equals(first.modules.keySet())) {
                throw new IllegalArgumentException("adapters differ in rank, scale or modules; only adapters of one run's shape average");
            }
        }
        Map<String, Factors> mean = new LinkedHashMap<>();
        for (Map.Entry<String, Factors> e : first.modules.entrySet()) {
            Factors f = e.getValue();
            float[] a = new float[f.a().length];
            float[] b = new float[f.b().length];
            for (LoraAdapter adapter : adapters) {
                Factors g = adapter.modules.get(e.getKey());
                if (g.in() != f.in() || g.out() != f.out()) {
                    throw new IllegalArgumentException("module " + e.getKey() + " differs in shape between the adapters");
                }
                addScaled(a, g.a(), 1f / adapters.size());
                addScaled(b, g.b(), 1f / adapters.size());
            }
            mean.put(e.getKey(), new Factors(f.in(), f.out(), a, b));
        }
        return new LoraAdapter(first.rank, first.scale, mean);
    }

    private static void addScaled(float[] sum, float[] v, float w) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += w * v[i];
        }
    }

    /** Eight hex digits identifying these weights (names caches of vectors computed with them). */
    public String fingerprint() {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            write(new DataOutputStream(bytes));
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
            return java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void write(java.nio.file.Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                java.nio.file.Files.newOutputStream(file)))) {
            write(out);
        }
    }

    public static LoraAdapter read(java.nio.file.Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
                java.nio.file.Files.newInputStream(file)))) {
            return read(in);
        }
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(rank);
        out.writeFloat(scale);
        out.writeInt(modules.size());
        for (Map.Entry<String, Factors> e : new java.util.TreeMap<>(modules).entrySet()) {
            Factors f = e.getValue();
            out.writeUTF(e.getKey());
            out.writeInt(f.in());
            out.writeInt(f.out());
            writeFloats(out, f.a());
            writeFloats(out, f.b());
        }
    }

    public static LoraAdapter read(DataInputStream in) throws IOException {
        int rank = in.readInt();
        float scale = in.readFloat();
        int n = in.readInt();
        Map<String, Factors> modules = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String module = in.readUTF();
            int rows = in.readInt();
            int cols = in.readInt();
            modules.put(module, new Factors(rows, cols, readFloats(in, rows * rank), readFloats(in, rank * cols)));
        }
        return new LoraAdapter(rank, scale, modules);
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }
}
