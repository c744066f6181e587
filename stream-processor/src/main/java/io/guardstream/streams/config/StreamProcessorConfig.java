package io.guardstream.streams.config;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.guardstream.config.ConfigLoader;
import io.guardstream.kafka.TopicSettings;

/**
 * Typed settings of the stream processor, read through {@link ConfigLoader}: defaults (they run against a local
 * broker, registry and model server), then YAML ({@code --config}), then {@code GUARDSTREAM_*} variables
 * (e.g. {@code GUARDSTREAM_GUARD_MODEL_URL} for {@code guard.modelUrl}), then command-line flags.
 *
 * @param kafka    where the apps find Kafka and the schema registry
 * @param topics   topic prefix, partitions and retention (shared with the standalone runtime)
 * @param guard    the model-server client
 * @param checks   the in-flight {@code checks} app
 * @param audit    the {@code audit} app: windows and alert thresholds
 * @param admin    the admin HTTP API
 * @param webhooks alert webhooks per tenant
 */
public record StreamProcessorConfig(Kafka kafka, TopicSettings topics, Guard guard, Checks checks, Audit audit, Admin admin,
                                    Webhooks webhooks) {

    public static final String ENV_PREFIX = "GUARDSTREAM_";

    public static StreamProcessorConfig defaults() {
        return new StreamProcessorConfig(Kafka.defaults(), TopicSettings.defaults(), Guard.defaults(), Checks.defaults(),
                Audit.defaults(), Admin.defaults(), Webhooks.defaults());
    }

    public static ConfigLoader<StreamProcessorConfig> loader() {
        return new ConfigLoader<>(StreamProcessorConfig.class, defaults(), ENV_PREFIX);
    }

    /** @param overrides dotted key paths, e.g. {@code "guard.modelUrl" -> "http://guard:8090"} */
    public static StreamProcessorConfig load(Path yamlFile, Function<String, String> env, Map<String, String> overrides) {
        return loader().load(yamlFile, env, overrides);
    }

    /** Defaults with the given dotted-key overrides only (no file, no environment). */
    public static StreamProcessorConfig of(Map<String, String> overrides) {
        return load(null, name -> null, overrides);
    }

    public TopicNames topicNames() {
        return new TopicNames(topics.prefix());
    }

    public StreamProcessorConfig withKafka(Kafka value) {
        return new StreamProcessorConfig(value, topics, guard, checks, audit, admin, webhooks);
    }

    public StreamProcessorConfig withTopics(TopicSettings value) {
        return new StreamProcessorConfig(kafka, value, guard, checks, audit, admin, webhooks);
    }

    public StreamProcessorConfig withGuard(Guard value) {
        return new StreamProcessorConfig(kafka, topics, value, checks, audit, admin, webhooks);
    }

    public StreamProcessorConfig withAudit(Audit value) {
        return new StreamProcessorConfig(kafka, topics, guard, checks, value, admin, webhooks);
    }

    public StreamProcessorConfig withAdmin(Admin value) {
        return new StreamProcessorConfig(kafka, topics, guard, checks, audit, value, webhooks);
    }

    /**
     * @param applicationIdPrefix the apps' ids are {@code <prefix>-checks} and {@code <prefix>-audit}
     * @param stateDir            where the apps keep their state stores
     * @param createTopics        create missing topics at start (see {@code TopicProvisioner})
     */
    public record Kafka(String bootstrap, String registryUrl, String applicationIdPrefix, String stateDir, boolean createTopics) {
        public Kafka {
            require(bootstrap != null && !bootstrap.isBlank(), "kafka.bootstrap must be set");
            require(registryUrl != null && !registryUrl.isBlank(), "kafka.registryUrl must be set");
            require(applicationIdPrefix != null && !applicationIdPrefix.isBlank(), "kafka.applicationIdPrefix must be set");
        }

        static Kafka defaults() {
            return new Kafka("127.0.0.1:9092", "http://127.0.0.1:8081", "guardstream",
                    Path.of(System.getProperty("java.io.tmpdir"), "guardstream-streams").toString(), true);
        }

        public Kafka withBootstrap(String value) {
            return new Kafka(value, registryUrl, applicationIdPrefix, stateDir, createTopics);
        }

        public Kafka withRegistryUrl(String value) {
            return new Kafka(bootstrap, value, applicationIdPrefix, stateDir, createTopics);
        }

        public Kafka withStateDir(String value) {
            return new Kafka(bootstrap, registryUrl, applicationIdPrefix, value, createTopics);
        }
    }

    /**
     * @param requestTimeoutMs        per attempt
     * @param maxRetries              further attempts after a timeout, connection error, 429 or 5xx
     * @param retryBackoffMs          wait before retry n is n × this
     * @param breakerFailureThreshold failed calls in a row that open the circuit breaker
     * @param breakerOpenMs           how long an open breaker refuses calls before one trial
     */
    public record Guard(String modelUrl, long connectTimeoutMs, long requestTimeoutMs, int maxRetries, long retryBackoffMs,
                        int breakerFailureThreshold, long breakerOpenMs) {
        public Guard {
            require(modelUrl != null && !modelUrl.isBlank(), "guard.modelUrl must be set");
            require(connectTimeoutMs > 0 && requestTimeoutMs > 0, "guard timeouts must be positive");
            require(maxRetries >= 0 && retryBackoffMs >= 0, "guard.maxRetries and guard.retryBackoffMs must not be negative");
            require(breakerFailureThreshold > 0 && breakerOpenMs > 0, "guard breaker settings must be positive");
        }

        static Guard defaults() {
            return new Guard("http://127.0.0.1:8090", 500, 2_000, 2, 50, 5, 5_000);
        }

        @JsonIgnore
        public Duration requestTimeout() {
            return Duration.ofMillis(requestTimeoutMs);
        }

        /** Worst case time one guard call can take, retries included. */
        @JsonIgnore
        public Duration worstCase() {
            return Duration.ofMillis((requestTimeoutMs + retryBackoffMs * (maxRetries + 1L)) * (maxRetries + 1L));
        }
    }

    /**
     * @param batchMaxRecords  judge a batch once this many checks wait
     * @param batchMaxWaitMs   while checks keep coming, judge a batch once its oldest waited this long; a check arriving
     *                         after this long without one is judged at once; 0 judges every check at once
     * @param commitIntervalMs Kafka Streams commit interval (at-least-once)
     * @param threads          stream threads
     */
    public record Checks(boolean enabled, int batchMaxRecords, long batchMaxWaitMs, long commitIntervalMs, int threads) {
        public Checks {
            require(batchMaxRecords > 0, "checks.batchMaxRecords must be positive");
            require(batchMaxWaitMs >= 0, "checks.batchMaxWaitMs must not be negative");
            require(commitIntervalMs > 0 && threads > 0, "checks.commitIntervalMs and checks.threads must be positive");
        }

        static Checks defaults() {
            return new Checks(true, 32, 2, 100, 1);
        }

        @JsonIgnore
        public Duration batchMaxWait() {
            return Duration.ofMillis(batchMaxWaitMs);
        }
    }

    /**
     * @param windowSizeMs           tenant window length (hopping)
     * @param windowAdvanceMs        tenant window hop
     * @param graceMs                how late an exchange may arrive and still count in its window
     * @param burstThreshold         unsafe exchanges of one end user within {@code burstWindowMs} that raise HARMFUL_BURST
     * @param categoryThreshold      unsafe exchanges of one category in a tenant window that raise UNSAFE_CATEGORY
     * @param blockRateThreshold     blocked/total in a tenant window (with at least blockRateMinCount exchanges) that raises BLOCK_RATE
     * @param spikeFactor            UNSAFE_RATE_SPIKE when the window's unsafe rate is at least baseline × factor
     *                               and baseline + spikeMinDelta, with spikeMinCount exchanges and baselineMinSamples behind the baseline
     * @param baselineAlpha          weight of each exchange in the tenant's moving-average unsafe rate
     * @param categoryScoreThreshold score from which a category counts as present in an unsafe verdict
     * @param inflightRetentionMs    how long in-flight verdicts wait for their exchange, and audited ids are remembered
     */
    public record Audit(boolean enabled, long commitIntervalMs, long windowSizeMs, long windowAdvanceMs, long graceMs,
                        int burstThreshold, long burstWindowMs, long burstAdvanceMs, int categoryThreshold,
                        double blockRateThreshold, int blockRateMinCount, double spikeFactor, int spikeMinCount,
                        double spikeMinDelta, double baselineAlpha, int baselineMinSamples, double categoryScoreThreshold,
                        long inflightRetentionMs) {
        public Audit {
            require(commitIntervalMs > 0, "audit.commitIntervalMs must be positive");
            require(windowSizeMs > 0 && windowAdvanceMs > 0 && windowAdvanceMs <= windowSizeMs,
                    "audit.windowAdvanceMs must be positive and at most audit.windowSizeMs");
            require(burstWindowMs > 0 && burstAdvanceMs > 0 && burstAdvanceMs <= burstWindowMs,
                    "audit.burstAdvanceMs must be positive and at most audit.burstWindowMs");
            require(graceMs >= 0, "audit.graceMs must not be negative");
            require(burstThreshold > 0 && categoryThreshold > 0 && blockRateMinCount > 0 && spikeMinCount > 0,
                    "audit thresholds and minimum counts must be positive");
            require(baselineAlpha > 0 && baselineAlpha <= 1, "audit.baselineAlpha must be in (0, 1]");
            require(inflightRetentionMs > 0, "audit.inflightRetentionMs must be positive");
        }

        static Audit defaults() {
            return new Audit(true, 200, 300_000, 60_000, 60_000, 5, 300_000, 60_000, 10, 0.5, 10, 3.0, 10, 0.2, 0.02, 50,
                    0.5, 3_600_000);
        }

        @JsonIgnore
        public Duration windowSize() {
            return Duration.ofMillis(windowSizeMs);
        }

        @JsonIgnore
        public Duration windowAdvance() {
            return Duration.ofMillis(windowAdvanceMs);
        }

        @JsonIgnore
        public Duration grace() {
            return Duration.ofMillis(graceMs);
        }

        @JsonIgnore
        public Duration burstWindow() {
            return Duration.ofMillis(burstWindowMs);
        }

        @JsonIgnore
        public Duration burstAdvance() {
            return Duration.ofMillis(burstAdvanceMs);
        }

        @JsonIgnore
        public Duration inflightRetention() {
            return Duration.ofMillis(inflightRetentionMs);
        }
    }

    /**
     * @param port           also advertised to other instances ({@code application.server}) for forwarding stats queries,
     *                       so it must be a fixed port when several instances run
     * @param advertisedHost how other instances reach this one
     * @param token          admin token (sees every tenant); null: a random one is generated at start and logged
     * @param tenantTokens   tenant id to token; a tenant token sees only its tenant
     */
    public record Admin(boolean enabled, String host, int port, String advertisedHost, String token, Map<String, String> tenantTokens) {
        public static final int DEFAULT_PORT = 8091;

        public Admin {
            require(port >= 0 && port <= 65535, "admin.port must be a port number");
            tenantTokens = tenantTokens == null ? Map.of() : Map.copyOf(tenantTokens);
        }

        static Admin defaults() {
            return new Admin(true, "0.0.0.0", DEFAULT_PORT, "127.0.0.1", null, Map.of());
        }

        /** This config with a token, generating a random one when none was set. */
        public Admin withEffectiveToken() {
            if (token != null && !token.isBlank()) {
                return this;
            }
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            return new Admin(enabled, host, port, advertisedHost, "gsa-" + HexFormat.of().formatHex(bytes), tenantTokens);
        }

        @Override
        public String toString() {
            return "Admin[enabled=" + enabled + ", host=" + host + ", port=" + port + ", advertisedHost=" + advertisedHost
                    + ", token=" + (token == null ? "generated" : "***") + ", tenantTokens=" + tenantTokens.keySet() + "]";
        }
    }

    /**
     * @param urls       tenant id to Slack-compatible webhook URL
     * @param defaultUrl for tenants without their own URL; null for none
     * @param maxRetries further attempts after a timeout, 429 or 5xx; the wait doubles from {@code backoffMs}
     */
    public record Webhooks(Map<String, String> urls, String defaultUrl, int maxRetries, long backoffMs, long timeoutMs) {
        public Webhooks {
            urls = urls == null ? Map.of() : Map.copyOf(urls);
            require(maxRetries >= 0 && backoffMs > 0 && timeoutMs > 0, "webhooks retry settings must be positive");
        }

        static Webhooks defaults() {
            return new Webhooks(Map.of(), null, 5, 500, 5_000);
        }

        public Webhooks withUrls(Map<String, String> value) {
            return new Webhooks(value, defaultUrl, maxRetries, backoffMs, timeoutMs);
        }

        public Webhooks withRetries(int retries, Duration backoff) {
            return new Webhooks(urls, defaultUrl, retries, backoff.toMillis(), timeoutMs);
        }

        public String urlFor(String tenant) {
            return urls.getOrDefault(tenant, defaultUrl);
        }

        @JsonIgnore
        public boolean any() {
            return !urls.isEmpty() || defaultUrl != null;
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
