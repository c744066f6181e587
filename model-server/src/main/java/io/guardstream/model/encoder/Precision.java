package io.guardstream.model.encoder;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Arithmetic of the encoder's matrix products. {@code BF16} lets TensorFlow's oneDNN mixed-precision rewrite run the
 * matrix products (and the ops it judges safe) in bfloat16; it pays only on CPUs with native
 * bfloat16 dot products (AVX512_BF16 or AMX), where it is 1.5-1.8x faster, and is emulated (slower) on other AVX-512
 * CPUs. TensorFlow skips the rewrite on CPUs with neither AVX512F nor AVX_NE_CONVERT (an AVX2-only CPU computes in
 * fp32 whatever it is asked), so {@code BF16} resolves to {@code FP32} there and the reported precision stays true.
 * {@code AUTO} picks {@code BF16} on CPUs with native bfloat16 products and {@code FP32} otherwise. {@code INT8} runs
 * the linear modules as 8-bit integer products ({@link Int8Params}) and the rest in fp32 (bfloat16 rounding of the
 * attention context on top of the int8 error moved sentence vectors twice as far); it needs VNNI (AVX512_VNNI,
 * AVX_VNNI or AMX) and TensorFlow's oneDNN kernels, and resolves to what {@code AUTO} resolves to without them.
 */
public enum Precision {
    AUTO, FP32, BF16, INT8;

    /** TensorFlow's switch for its oneDNN graph rewrites. */
    private static final String ONEDNN_OPTS = "TF_ENABLE_ONEDNN_OPTS";

    /** Parses {@code auto|fp32|bf16|int8} (any case). */
    public static Precision parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("precision must be auto, fp32, bf16 or int8, not " + value);
        }
    }

    /** {@code FP32}, {@code BF16} or {@code INT8}: resolved against this machine's CPU. */
    public Precision resolve() {
        return resolve(Cpu.THIS_MACHINE);
    }

    /** Why this precision, asked for, does not run on this machine's CPU; null when it does (or for AUTO). */
    public String unavailableHere() {
        return Cpu.THIS_MACHINE.whyNot(this);
    }

    /** Resolved for a CPU with the given support. */
    Precision resolve(Cpu cpu) {
        return switch (this) {
            case AUTO -> cpu.nativeBf16() ? BF16 : FP32;
            case BF16 -> cpu.bf16Rewrite() ? BF16 : FP32;
            case INT8 -> cpu.int8() ? INT8 : AUTO.resolve(cpu);
            case FP32 -> FP32;
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

    /**
     * What a CPU offers the encoder: native bfloat16 dot products, TensorFlow's bfloat16 rewrite at all (native or
     * emulated), VNNI int8 dot products, and TensorFlow's oneDNN rewrites (the fused kernels, and the int8 product's
     * kernel).
     */
    record Cpu(boolean nativeBf16, boolean bf16Rewrite, boolean vnni, boolean onednn) {

        /** Read once, on first use: the CPU does not change while the process runs. */
        static final Cpu THIS_MACHINE = of(cpuFlags(), System.getenv(ONEDNN_OPTS));

        /**
         * From {@code /proc/cpuinfo}'s flags and {@code TF_ENABLE_ONEDNN_OPTS}. TensorFlow turns its oneDNN rewrites
         * on by default only on CPUs with VNNI, AMX or native bfloat16; the variable overrides that either way
         * ({@code bin/guardstream} sets it to 1).
         */
        static Cpu of(String cpuinfo, String onednnOpts) {
            Set<String> flags = new HashSet<>(Arrays.asList(cpuinfo.split("\\s+")));
            boolean nativeBf16 = flags.contains("avx512_bf16") || flags.contains("amx_bf16");
            boolean bf16Rewrite = nativeBf16 || flags.contains("avx512f") || flags.contains("avx_ne_convert");
            boolean vnni = flags.contains("avx512_vnni") || flags.contains("avx_vnni") || flags.contains("amx_int8");
            boolean onednnByDefault = vnni || nativeBf16 || flags.contains("amx_tile");
            boolean onednn = switch (onednnOpts == null ? "" : onednnOpts.trim().toLowerCase(Locale.ROOT)) {
                case "1", "true" -> true;
                case "0", "false" -> false;
                default -> onednnByDefault;
            };
            return new Cpu(nativeBf16, bf16Rewrite, vnni, onednn);
        }

        /**
         * Whether int8 products run: they need oneDNN's kernel, and VNNI: without it oneDNN's u8 x s8 products add
         * pairs in saturating 16-bit sums, which moved MiniLM's sentence vectors past the parity bound and flipped
         * fixture verdicts on an AVX2 CPU (docs/model-server.md, "CPUs without AVX-512").
         */
        boolean int8() {
            return vnni && onednn;
        }

        /** Why {@code asked} resolves to another precision on this CPU, for the log; null when it does not. */
        String whyNot(Precision asked) {
            if (asked == AUTO || asked.resolve(this) == asked) {
                return null;
            }
            if (asked == BF16) {
                return "TensorFlow rewrites to bfloat16 only on CPUs with AVX512F or AVX_NE_CONVERT";
            }
            return vnni ? "int8 products need TensorFlow's oneDNN kernels, off by " + ONEDNN_OPTS
                    : "int8 products need VNNI (AVX512_VNNI, AVX_VNNI or AMX)";
        }
    }

    private static String cpuFlags() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
