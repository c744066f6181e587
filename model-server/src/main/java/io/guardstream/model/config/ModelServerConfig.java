package io.guardstream.model.config;

import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.encoder.Precision;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Typed model-server configuration. Defaults run as they are; a YAML file (same keys, kebab-case, nested by
 * section) and then {@code GUARDSTREAM_MODEL_<SECTION>_<KEY>} environment variables override them, e.g.
 * {@code GUARDSTREAM_MODEL_SERVER_PORT=9000}, {@code GUARDSTREAM_MODEL_BATCHING_MAX_BATCH=64}.
 */
public record ModelServerConfig(Server server, Batching batching, Model model, Limits limits) {

    public static final int DEFAULT_PORT = 8090;

    /** HTTP listener. */
    public record Server(String host, int port) {
        public static final String DEFAULT_HOST = "0.0.0.0";
    }

    /**
     * Dynamic batcher: batch size, wait budget, queue bound and worker threads. {@code maxBatch} and
     * {@code queueCapacity} bound the interactive lane; the background lane (audit) has its own, smaller batch cap,
     * and at most {@code backgroundWorkers} of the {@code workers} run background batches at once, so with more
     * workers than that an interactive check never waits for a background batch (one with reasoning can run for
     * hundreds of milliseconds).
     */
    public record Batching(int maxBatch, int maxWaitMs, int queueCapacity, int workers,
                           int backgroundMaxBatch, int backgroundQueueCapacity, int backgroundWorkers) {
        public static final int DEFAULT_MAX_BATCH = 32;
        public static final int DEFAULT_MAX_WAIT_MS = 5;
        public static final int DEFAULT_QUEUE_CAPACITY = 1024;
        public static final int DEFAULT_WORKERS = 2;
        public static final int DEFAULT_BACKGROUND_MAX_BATCH = 4;
        public static final int DEFAULT_BACKGROUND_QUEUE_CAPACITY = 1024;
        public static final int DEFAULT_BACKGROUND_WORKERS = 1;
    }

    /**
     * Model: {@code encoder} the base encoder of the guard ({@link BaseEncoder}; with {@code heads-path} unset, its
     * shipped heads are loaded), {@code device} auto|cpu|gpu, {@code precision} auto|fp32|bf16|int8 of the encoder's matrix products
     * (auto: bf16 on CPUs with native bfloat16, see {@link io.guardstream.model.encoder.Precision}), TF intra-op
     * threads (0 = all cores), TF sessions sharing them (batches that run at once; 0 = one per batching worker), window
     * and overlap in tokens, encoder sub-batch size, heads file ({@code null} = the shipped heads), occlusion spans for
     * reasoning, and whether results carry reasoning unless a request says otherwise.
     */
    public record Model(String encoder, String device, String precision, int intraOpThreads, int sessions, int windowTokens,
                        int overlapTokens, int encoderBatch, String headsPath, int reasoningSpans,
                        boolean reasoningByDefault) {
        public static final String DEFAULT_ENCODER = BaseEncoder.DEFAULT.id();
        public static final String DEFAULT_DEVICE = "auto";
        public static final String DEFAULT_PRECISION = "auto";
        /** One session per batching worker. */
        public static final int DEFAULT_SESSIONS = 0;
        public static final int DEFAULT_WINDOW_TOKENS = 128;
        public static final int DEFAULT_OVERLAP_TOKENS = 32;
        public static final int DEFAULT_ENCODER_BATCH = 32;
        public static final int DEFAULT_REASONING_SPANS = 8;
    }

    /** Input limits enforced before anything reaches the model. */
    public record Limits(int maxTextChars, int maxBatchItems, int maxBodyBytes, int maxImageBytes) {
        public static final int DEFAULT_MAX_TEXT_CHARS = 32_768;
        public static final int DEFAULT_MAX_BATCH_ITEMS = 256;
        public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
        public static final int DEFAULT_MAX_IMAGE_BYTES = 4 * 1024 * 1024;
    }

    public static ModelServerConfig defaults() {
        return from(Map.of(), Map.of());
    }

    /** Defaults, then {@code yaml} (may be null), then {@code GUARDSTREAM_MODEL_*} variables from {@code env}. */
    public static ModelServerConfig load(Path yaml, Map<String, String> env) throws IOException {
        Map<String, Object> tree = Map.of();
        if (yaml != null) {
            try (Reader r = Files.newBufferedReader(yaml, StandardCharsets.UTF_8)) {
                Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
                if (parsed != null && !(parsed instanceof Map)) {
                    throw new IllegalArgumentException(yaml + ": top level must be a mapping");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> m = parsed == null ? Map.of() : (Map<String, Object>) parsed;
                tree = m;
            }
        }
        return from(tree, env);
    }

    static ModelServerConfig from(Map<String, Object> yaml, Map<String, String> env) {
        Source s = new Source(yaml, env);
        ModelServerConfig c = new ModelServerConfig(
                new Server(s.str("server", "host", Server.DEFAULT_HOST), s.integer("server", "port", DEFAULT_PORT)),
                new Batching(
                        s.integer("batching", "max-batch", Batching.DEFAULT_MAX_BATCH),
                        s.integer("batching", "max-wait-ms", Batching.DEFAULT_MAX_WAIT_MS),
                        s.integer("batching", "queue-capacity", Batching.DEFAULT_QUEUE_CAPACITY),
                        s.integer("batching", "workers", Batching.DEFAULT_WORKERS),
                        s.integer("batching", "background-max-batch", Batching.DEFAULT_BACKGROUND_MAX_BATCH),
                        s.integer("batching", "background-queue-capacity", Batching.DEFAULT_BACKGROUND_QUEUE_CAPACITY),
                        s.integer("batching", "background-workers", Batching.DEFAULT_BACKGROUND_WORKERS)),
                new Model(
                        s.str("model", "encoder", Model.DEFAULT_ENCODER),
                        s.str("model", "device", Model.DEFAULT_DEVICE),
                        s.str("model", "precision", Model.DEFAULT_PRECISION),
                        s.integer("model", "intra-op-threads", 0),
                        s.integer("model", "sessions", Model.DEFAULT_SESSIONS),
                        s.integer("model", "window-tokens", Model.DEFAULT_WINDOW_TOKENS),
                        s.integer("model", "overlap-tokens", Model.DEFAULT_OVERLAP_TOKENS),
                        s.integer("model", "encoder-batch", Model.DEFAULT_ENCODER_BATCH),
                        s.str("model", "heads-path", null),
                        s.integer("model", "reasoning-spans", Model.DEFAULT_REASONING_SPANS),
                        s.bool("model", "reasoning-by-default", true)),
                new Limits(
                        s.integer("limits", "max-text-chars", Limits.DEFAULT_MAX_TEXT_CHARS),
                        s.integer("limits", "max-batch-items", Limits.DEFAULT_MAX_BATCH_ITEMS),
                        s.integer("limits", "max-body-bytes", Limits.DEFAULT_MAX_BODY_BYTES),
                        s.integer("limits", "max-image-bytes", Limits.DEFAULT_MAX_IMAGE_BYTES)));
        c.validate();
        return c;
    }

    /** {@code model.sessions} resolved: one per batching worker when 0. */
    public int encoderSessions() {
        return model.sessions() > 0 ? model.sessions() : batching.workers();
    }

    public ModelServerConfig withHost(String host) {
        return new ModelServerConfig(new Server(host, server.port()), batching, model, limits);
    }

    public ModelServerConfig withPort(int port) {
        return new ModelServerConfig(new Server(server.host(), port), batching, model, limits);
    }

    private void validate() {
        String d = model.device().toLowerCase(Locale.ROOT);
        if (!d.equals("auto") && !d.equals("cpu") && !d.equals("gpu")) {
            throw new IllegalArgumentException("model.device must be auto, cpu or gpu, not " + model.device());
        }
        Precision.parse(model.precision());
        BaseEncoder.parse(model.encoder());
        if (server.port() < 0 || server.port() > 65535) {
            throw new IllegalArgumentException("server.port out of range: " + server.port());
        }
        if (model.sessions() < 0 || model.sessions() > batching.workers()) {
            throw new IllegalArgumentException("model.sessions must be in [0, batching.workers = " + batching.workers()
                    + "] (0 = one per worker): a session runs one batch at a time, and only workers run batches");
        }
        if (model.windowTokens() < 16 || model.windowTokens() > 512) {
            throw new IllegalArgumentException("model.window-tokens must be in [16, 512]");
        }
        if (model.overlapTokens() < 0 || model.overlapTokens() >= model.windowTokens() - 2) {
            throw new IllegalArgumentException("model.overlap-tokens must be in [0, window-tokens - 2)");
        }
        if (batching.maxBatch() < 1 || batching.queueCapacity() < 1 || batching.workers() < 1 || batching.maxWaitMs() < 0
                || batching.backgroundMaxBatch() < 1 || batching.backgroundQueueCapacity() < 1
                || batching.backgroundWorkers() < 1) {
            throw new IllegalArgumentException("batching values must be positive");
        }
    }

    private record Source(Map<String, Object> yaml, Map<String, String> env) {
        Object raw(String section, String key) {
            String var = "GUARDSTREAM_MODEL_" + section.toUpperCase(Locale.ROOT) + "_"
                    + key.toUpperCase(Locale.ROOT).replace('-', '_');
            String e = env.get(var);
            if (e != null) {
                return e;
            }
            Object sec = yaml.get(section);
            if (sec instanceof Map<?, ?> m) {
                return m.get(key);
            }
            return null;
        }

        String str(String section, String key, String def) {
            Object v = raw(section, key);
            return v == null ? def : v.toString();
        }

        int integer(String section, String key, int def) {
            Object v = raw(section, key);
            if (v == null) {
                return def;
            }
            try {
                return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(section + "." + key + " must be an integer, not " + v);
            }
        }

        boolean bool(String section, String key, boolean def) {
            Object v = raw(section, key);
            return v == null ? def : v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString().trim());
        }
    }

    /** The process environment, for {@link #load}. */
    public static Map<String, String> environment() {
        return new HashMap<>(System.getenv());
    }
}
