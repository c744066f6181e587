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
 * matrix products (and the ops it judges safe) in bfloat16; it pays only on CPUs with native
 * bfloat16 dot products (AVX512_BF16 or AMX), where it is 1.5-1.8x faster, and is emulated (slower) elsewhere.
 * {@code AUTO} picks {@code BF16} on such CPUs and {@code FP32} otherwise. {@code INT8} runs the linear modules as
 * 8-bit integer products ({@link Int8Params}) and the rest in fp32 (bfloat16 rounding of the attention context on top
 * of the int8 error moved sentence vectors twice as far); it needs VNNI (AVX512_VNNI, AVX_VNNI or AMX) and
 * TensorFlow's oneDNN kernels, and resolves to what {@code AUTO} resolves to without them.
 */
public enum Precision {
    AUTO, FP32, BF16, INT8;

    /** Parses {@code auto|fp32|bf16|int8} (any case). */
    public static Precision parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("precision must be auto, fp32, bf16 or int8, not " + value);
        }
    }

    /** {@code FP32}, {@code BF16} or {@code INT8}: {@code AUTO} and {@code INT8} resolved against this machine. */
    public Precision resolve() {
        return resolve(CpuFeatures.BF16, CpuFeatures.INT8);
    }

    /** Resolved for a machine with or without native bfloat16 and int8 (VNNI) products. */
    Precision resolve(boolean nativeBf16, boolean nativeInt8) {
        return switch (this) {
            case AUTO -> nativeBf16 ? BF16 : FP32;
            case INT8 -> nativeInt8 ? INT8 : AUTO.resolve(nativeBf16, false);
            default -> this;
        };
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
    private static final class CpuFeatures {
        static final String FLAGS = cpuFlags();
        static final boolean BF16 = FLAGS.contains(" avx512_bf16") || FLAGS.contains(" amx_bf16");
        // TF_ENABLE_ONEDNN_OPTS=0 turns off the oneDNN rewrite that gives the int8 product its kernel
        static final boolean INT8 = (FLAGS.contains(" avx512_vnni") || FLAGS.contains(" avx_vnni")
                || FLAGS.contains(" amx_int8")) && !"0".equals(System.getenv("TF_ENABLE_ONEDNN_OPTS"));
    }

    private static String cpuFlags() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
