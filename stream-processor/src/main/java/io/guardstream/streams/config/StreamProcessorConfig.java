package io.guardstream.streams.config;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.guardstream.kafka.Topics;

/**
 * Typed settings of the stream processor. Every field has a default that runs against a local broker,
 * registry and model server; {@link #load} reads YAML, then {@code GUARDSTREAM_*} variables, then overrides.
 */
public record StreamProcessorConfig(Kafka kafka, Guard guard, Checks checks, Audit audit, Admin admin, Webhooks webhooks) {

    /** Keys that take a single value, for environment-variable mapping and documentation. */
    public static final List<String> KEYS = List.of(
            "kafka.bootstrap", "kafka.registry-url", "kafka.topic-prefix", "kafka.application-id-prefix",
            "kafka.state-dir", "kafka.create-topics", "kafka.partitions", "kafka.replication-factor",
            "guard.model-url", "guard.connect-timeout-ms", "guard.request-timeout-ms", "guard.max-retries",
            "guard.retry-backoff-ms", "guard.breaker.failure-threshold", "guard.breaker.open-ms",
            "checks.enabled", "checks.batch-max-records", "checks.batch-max-wait-ms", "checks.commit-interval-ms",
            "checks.threads",
            "audit.enabled", "audit.commit-interval-ms", "audit.window-size-ms", "audit.window-advance-ms",
            "audit.grace-ms", "audit.burst-threshold", "audit.burst-window-ms", "audit.burst-advance-ms",
            "audit.category-threshold", "audit.block-rate-threshold", "audit.block-rate-min-count",
            "audit.spike-factor", "audit.spike-min-count", "audit.spike-min-delta", "audit.baseline-alpha",
            "audit.baseline-min-samples", "audit.category-score-threshold", "audit.inflight-retention-ms",
            "admin.enabled", "admin.host", "admin.port", "admin.advertised-host", "admin.token",
            "webhooks.default-url", "webhooks.max-retries", "webhooks.backoff-ms", "webhooks.timeout-ms");

    /** Keys whose entries are per tenant. */
    public static final List<String> MAP_KEYS = List.of("admin.tenant-tokens", "webhooks.urls");

    public static StreamProcessorConfig defaults() {
        return from(Settings.empty());
    }

    /** YAML file (optional), then environment, then overrides (e.g. command-line flags; null values ignored). */
    public static StreamProcessorConfig load(Path yaml, Map<String, String> env, Map<String, String> overrides) {
        Settings settings = yaml == null ? Settings.empty() : Settings.fromYaml(yaml);
        return from(settings.withEnv(env, KEYS, MAP_KEYS).with(overrides));
    }

    public static StreamProcessorConfig from(Settings s) {
        return new StreamProcessorConfig(Kafka.from(s), Guard.from(s), Checks.from(s), Audit.from(s), Admin.from(s), Webhooks.from(s));
    }

    public StreamProcessorConfig withKafka(Kafka kafka) {
        return new StreamProcessorConfig(kafka, guard, checks, audit, admin, webhooks);
    }

    public StreamProcessorConfig withGuard(Guard guard) {
        return new StreamProcessorConfig(kafka, guard, checks, audit, admin, webhooks);
    }

    public StreamProcessorConfig withChecks(Checks checks) {
        return new StreamProcessorConfig(kafka, guard, checks, audit, admin, webhooks);
    }

    public StreamProcessorConfig withAudit(Audit audit) {
        return new StreamProcessorConfig(kafka, guard, checks, audit, admin, webhooks);
    }

    public StreamProcessorConfig withAdmin(Admin admin) {
        return new StreamProcessorConfig(kafka, guard, checks, audit, admin, webhooks);
    }

    public StreamProcessorConfig withWebhooks(Webhooks webhooks) {
        return new StreamProcessorConfig(kafka, guard, checks, audit, admin, webhooks);
    }

    /** Where the apps find Kafka and the schema registry, and how topics are named and created. */
    public record Kafka(String bootstrap, String registryUrl, String topicPrefix, String applicationIdPrefix,
                        Path stateDir, boolean createTopics, int partitions, short replicationFactor) {
        public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
        public static final String DEFAULT_REGISTRY_URL = "http://127.0.0.1:8081";
        public static final String DEFAULT_APPLICATION_ID_PREFIX = "guardstream";
        public static final int DEFAULT_PARTITIONS = 4;

        static Kafka from(Settings s) {
            return new Kafka(
                    s.string("kafka.bootstrap", DEFAULT_BOOTSTRAP),
                    s.string("kafka.registry-url", DEFAULT_REGISTRY_URL),
                    s.string("kafka.topic-prefix", ""),
                    s.string("kafka.application-id-prefix", DEFAULT_APPLICATION_ID_PREFIX),
                    Path.of(s.string("kafka.state-dir", Path.of(System.getProperty("java.io.tmpdir"), "guardstream-streams").toString())),
                    s.bool("kafka.create-topics", true),
                    positive("kafka.partitions", s.integer("kafka.partitions", DEFAULT_PARTITIONS)),
                    (short) positive("kafka.replication-factor", s.integer("kafka.replication-factor", 1)));
        }

        public String topic(String name) {
            return Topics.prefixed(topicPrefix, name);
        }

        public Kafka withBootstrap(String value) {
            return new Kafka(value, registryUrl, topicPrefix, applicationIdPrefix, stateDir, createTopics, partitions, replicationFactor);
        }

        public Kafka withRegistryUrl(String value) {
            return new Kafka(bootstrap, value, topicPrefix, applicationIdPrefix, stateDir, createTopics, partitions, replicationFactor);
        }

        public Kafka withTopicPrefix(String value) {
            return new Kafka(bootstrap, registryUrl, value, applicationIdPrefix, stateDir, createTopics, partitions, replicationFactor);
        }

        public Kafka withApplicationIdPrefix(String value) {
            return new Kafka(bootstrap, registryUrl, topicPrefix, value, stateDir, createTopics, partitions, replicationFactor);
        }

        public Kafka withStateDir(Path value) {
            return new Kafka(bootstrap, registryUrl, topicPrefix, applicationIdPrefix, value, createTopics, partitions, replicationFactor);
        }
    }

    /** The model-server client: timeouts, bounded retries and circuit breaker. */
    public record Guard(String modelUrl, Duration connectTimeout, Duration requestTimeout, int maxRetries,
                        Duration retryBackoff, int breakerFailureThreshold, Duration breakerOpenFor) {
        public static final String DEFAULT_MODEL_URL = "http://127.0.0.1:8090";

        static Guard from(Settings s) {
            return new Guard(
                    s.string("guard.model-url", DEFAULT_MODEL_URL),
                    Duration.ofMillis(positive("guard.connect-timeout-ms", s.longValue("guard.connect-timeout-ms", 500))),
                    Duration.ofMillis(positive("guard.request-timeout-ms", s.longValue("guard.request-timeout-ms", 2_000))),
                    nonNegative("guard.max-retries", s.integer("guard.max-retries", 2)),
                    Duration.ofMillis(nonNegative("guard.retry-backoff-ms", s.longValue("guard.retry-backoff-ms", 50))),
                    positive("guard.breaker.failure-threshold", s.integer("guard.breaker.failure-threshold", 5)),
                    Duration.ofMillis(positive("guard.breaker.open-ms", s.longValue("guard.breaker.open-ms", 5_000))));
        }

        public Guard withModelUrl(String value) {
            return new Guard(value, connectTimeout, requestTimeout, maxRetries, retryBackoff, breakerFailureThreshold, breakerOpenFor);
        }

        public Guard withTimeouts(Duration request, int retries, Duration backoff) {
            return new Guard(modelUrl, connectTimeout, request, retries, backoff, breakerFailureThreshold, breakerOpenFor);
        }

        /** Worst case time one guard call can take, retries included. */
        public Duration worstCase() {
            return requestTimeout.plus(retryBackoff).multipliedBy(maxRetries + 1L);
        }
    }

    /** The in-flight {@code checks} app (at-least-once, micro-batching). */
    public record Checks(boolean enabled, int batchMaxRecords, Duration batchMaxWait, Duration commitInterval, int threads) {
        static Checks from(Settings s) {
            return new Checks(
                    s.bool("checks.enabled", true),
                    positive("checks.batch-max-records", s.integer("checks.batch-max-records", 32)),
                    Duration.ofMillis(nonNegative("checks.batch-max-wait-ms", s.longValue("checks.batch-max-wait-ms", 2))),
                    Duration.ofMillis(positive("checks.commit-interval-ms", s.longValue("checks.commit-interval-ms", 100))),
                    positive("checks.threads", s.integer("checks.threads", 1)));
        }

        public Checks withBatch(int maxRecords, Duration maxWait) {
            return new Checks(enabled, maxRecords, maxWait, commitInterval, threads);
        }

        public Checks withEnabled(boolean value) {
            return new Checks(value, batchMaxRecords, batchMaxWait, commitInterval, threads);
        }
    }

    /**
     * The {@code audit} app (exactly-once): window sizes and alert thresholds.
     *
     * @param windowSize          tenant window length (hopping)
     * @param windowAdvance       tenant window hop
     * @param burstThreshold      harmful exchanges from one end user within {@code burstWindow} that raise HARMFUL_BURST
     * @param categoryThreshold   unsafe exchanges of one category in a tenant window that raise UNSAFE_CATEGORY
     * @param blockRateThreshold  blocked/total in a tenant window that raises BLOCK_RATE (with at least blockRateMinCount exchanges)
     * @param spikeFactor         window unsafe rate over baseline × factor (and baseline + spikeMinDelta) raises UNSAFE_RATE_SPIKE
     * @param baselineAlpha       weight of each exchange in the tenant's moving-average unsafe rate
     * @param categoryScoreThreshold score from which a category counts as present in an unsafe verdict
     */
    public record Audit(boolean enabled, Duration commitInterval, Duration windowSize, Duration windowAdvance, Duration grace,
                        int burstThreshold, Duration burstWindow, Duration burstAdvance, int categoryThreshold,
                        double blockRateThreshold, int blockRateMinCount, double spikeFactor, int spikeMinCount,
                        double spikeMinDelta, double baselineAlpha, int baselineMinSamples, double categoryScoreThreshold,
                        Duration inflightRetention) {
        static Audit from(Settings s) {
            return new Audit(
                    s.bool("audit.enabled", true),
                    Duration.ofMillis(positive("audit.commit-interval-ms", s.longValue("audit.commit-interval-ms", 200))),
                    Duration.ofMillis(positive("audit.window-size-ms", s.longValue("audit.window-size-ms", 300_000))),
                    Duration.ofMillis(positive("audit.window-advance-ms", s.longValue("audit.window-advance-ms", 60_000))),
                    Duration.ofMillis(nonNegative("audit.grace-ms", s.longValue("audit.grace-ms", 60_000))),
                    positive("audit.burst-threshold", s.integer("audit.burst-threshold", 5)),
                    Duration.ofMillis(positive("audit.burst-window-ms", s.longValue("audit.burst-window-ms", 300_000))),
                    Duration.ofMillis(positive("audit.burst-advance-ms", s.longValue("audit.burst-advance-ms", 60_000))),
                    positive("audit.category-threshold", s.integer("audit.category-threshold", 10)),
                    s.decimal("audit.block-rate-threshold", 0.5),
                    positive("audit.block-rate-min-count", s.integer("audit.block-rate-min-count", 10)),
                    s.decimal("audit.spike-factor", 3.0),
                    positive("audit.spike-min-count", s.integer("audit.spike-min-count", 10)),
                    s.decimal("audit.spike-min-delta", 0.2),
                    s.decimal("audit.baseline-alpha", 0.02),
                    nonNegative("audit.baseline-min-samples", s.integer("audit.baseline-min-samples", 50)),
                    s.decimal("audit.category-score-threshold", 0.5),
                    Duration.ofMillis(positive("audit.inflight-retention-ms", s.longValue("audit.inflight-retention-ms", 3_600_000))));
        }

        public Audit withEnabled(boolean value) {
            return new Audit(value, commitInterval, windowSize, windowAdvance, grace, burstThreshold, burstWindow, burstAdvance,
                    categoryThreshold, blockRateThreshold, blockRateMinCount, spikeFactor, spikeMinCount, spikeMinDelta,
                    baselineAlpha, baselineMinSamples, categoryScoreThreshold, inflightRetention);
        }
    }

    /** Admin HTTP server; {@code token} null means a random one is generated at start and logged. */
    public record Admin(boolean enabled, String host, int port, String advertisedHost, String token, Map<String, String> tenantTokens) {
        public static final int DEFAULT_PORT = 8091;

        static Admin from(Settings s) {
            return new Admin(
                    s.bool("admin.enabled", true),
                    s.string("admin.host", "0.0.0.0"),
                    nonNegative("admin.port", s.integer("admin.port", DEFAULT_PORT)),
                    s.string("admin.advertised-host", "127.0.0.1"),
                    s.string("admin.token", null),
                    Map.copyOf(s.map("admin.tenant-tokens")));
        }

        public Admin withPort(int value) {
            return new Admin(enabled, host, value, advertisedHost, token, tenantTokens);
        }

        public Admin withToken(String value) {
            return new Admin(enabled, host, port, advertisedHost, value, tenantTokens);
        }

        public Admin withTenantTokens(Map<String, String> value) {
            return new Admin(enabled, host, port, advertisedHost, token, Map.copyOf(value));
        }

        public Admin withEnabled(boolean value) {
            return new Admin(value, host, port, advertisedHost, token, tenantTokens);
        }

        /** This config with a token, generating a random one when none was set. */
        public Admin withEffectiveToken() {
            if (token != null) {
                return this;
            }
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            return withToken("gsa-" + HexFormat.of().formatHex(bytes));
        }

        @Override
        public String toString() {
            return "Admin[enabled=" + enabled + ", host=" + host + ", port=" + port + ", advertisedHost=" + advertisedHost
                    + ", token=" + (token == null ? "generated" : "***") + ", tenantTokens=" + tenantTokens.keySet() + "]";
        }
    }

    /** Slack-compatible webhooks per tenant, with a default for tenants without their own. */
    public record Webhooks(Map<String, String> urls, String defaultUrl, int maxRetries, Duration backoff, Duration timeout) {
        static Webhooks from(Settings s) {
            return new Webhooks(
                    Map.copyOf(s.map("webhooks.urls")),
                    s.string("webhooks.default-url", null),
                    nonNegative("webhooks.max-retries", s.integer("webhooks.max-retries", 5)),
                    Duration.ofMillis(positive("webhooks.backoff-ms", s.longValue("webhooks.backoff-ms", 500))),
                    Duration.ofMillis(positive("webhooks.timeout-ms", s.longValue("webhooks.timeout-ms", 5_000))));
        }

        public Webhooks withUrls(Map<String, String> value) {
            return new Webhooks(Map.copyOf(value), defaultUrl, maxRetries, backoff, timeout);
        }

        public Webhooks withRetries(int retries, Duration backoff) {
            return new Webhooks(urls, defaultUrl, retries, backoff, timeout);
        }

        public String urlFor(String tenant) {
            return urls.getOrDefault(tenant, defaultUrl);
        }
    }

    private static int positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("Setting " + key + " must be positive, got " + value);
        }
        return value;
    }

    private static long positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("Setting " + key + " must be positive, got " + value);
        }
        return value;
    }

    private static int nonNegative(String key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Setting " + key + " must not be negative, got " + value);
        }
        return value;
    }

    private static long nonNegative(String key, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("Setting " + key + " must not be negative, got " + value);
        }
        return value;
    }
}
