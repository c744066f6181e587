package io.guardstream.model.encoder;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Arithmetic of the encoder's matrix products. {@code BF16} lets TensorFlow's oneDNN mixed-precision rewrite run the
 * matrix products in bfloat16 (layer norms, softmax and the pooled output stay fp32); it pays only on CPUs with native
 * bfloat16 dot products (AVX512_BF16 or AMX), where it is 1.5-1.8x faster, and is emulated (slower) elsewhere.
 * {@code AUTO} picks {@code BF16} on such CPUs and {@code FP32} otherwise.
 */
public enum Precision {
    AUTO, FP32, BF16;

    /** Parses {@code auto|fp32|bf16} (any case). */
    public static Precision parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("precision must be auto, fp32 or bf16, not " + value);
        }
    }

    /** {@code FP32} or {@code BF16}: {@code AUTO} resolved against this machine's CPU. */
    public Precision resolve() {
        if (this != AUTO) {
            return this;
        }
        return NativeBf16.PRESENT ? BF16 : FP32;
    }

    /**
     * A session config with {@code intraOpThreads} intra-op threads and one inter-op thread that runs the graph at
     * this precision (resolved): for bf16, TensorFlow's oneDNN bfloat16 rewrite is on. Serving and training share it.
     */
    public ConfigProto.Builder sessionConfig(int intraOpThreads) {
        ConfigProto.Builder config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(1);
        if (resolve() == BF16) {
            config.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(RewriterConfig.newBuilder()
                    .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON)));
        }
        return config;
    }

    /** Read once, on first use: the CPU does not change while the process runs. */
    private static final class NativeBf16 {
        static final boolean PRESENT = cpuHasNativeBf16();
    }

    private static boolean cpuHasNativeBf16() {
        try {
            String flags = Files.readString(Path.of("/proc/cpuinfo"));
            return flags.contains(" avx512_bf16") || flags.contains(" amx_bf16");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
