package io.guardstream.streams;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.guardstream.avro.Alert;
import io.guardstream.avro.Exchange;
import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.registry.RegistryClientConfig;
import io.guardstream.avro.registry.RestSchemaRegistryClient;
import io.guardstream.avro.registry.SchemaRegistryClient;
import io.guardstream.avro.serde.AvroSerde;
import io.guardstream.kafka.TopicProvisioner;
import io.guardstream.streams.admin.AdminServer;
import io.guardstream.streams.admin.TenantStatsService;
import io.guardstream.streams.admin.TokenAuth;
import io.guardstream.streams.alerts.AlertConsumer;
import io.guardstream.streams.alerts.AlertHub;
import io.guardstream.streams.alerts.WebhookNotifier;
import io.guardstream.streams.audit.AuditTopology;
import io.guardstream.streams.checks.ChecksTopology;
import io.guardstream.streams.config.StreamProcessorConfig;
import io.guardstream.streams.config.TopicNames;
import io.guardstream.streams.guard.GuardClient;
import io.guardstream.streams.guard.HttpGuardClient;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream processor as one embeddable unit: the {@code checks} app, the {@code audit} app, the admin HTTP API,
 * the SSE alert feed and the webhook notifier, each enabled by config.
 *
 * <pre>{@code
 * StreamProcessor sp = StreamProcessor.create(config);
 * sp.start().toCompletableFuture().get();   // topics created, apps RUNNING, admin API listening
 * ...
 * sp.stop().toCompletableFuture().get();
 * }</pre>
 */
public final class StreamProcessor {

    private static final Logger log = LoggerFactory.getLogger(StreamProcessor.class);
    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final StreamProcessorConfig config;
    private final GuardClient guard;
    private final SchemaRegistryClient registry;
    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Clock clock;
    private StreamsApp checksApp;
    private StreamsApp auditApp;
    private AdminServer admin;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private StreamProcessor(StreamProcessorConfig config, GuardClient guard, SchemaRegistryClient registry, Vertx vertx, Clock clock) {
        this.config = config.withAdmin(config.admin().withEffectiveToken());
        this.guard = guard;
        this.registry = registry;
        this.ownsVertx = vertx == null;
        this.vertx = vertx == null ? Vertx.vertx() : vertx;
        this.clock = clock;
    }

    /** With the HTTP guard client and REST registry client from the config, and a Vert.x instance of its own. */
    public static StreamProcessor create(StreamProcessorConfig config) {
        return create(config, new HttpGuardClient(config.guard()), null);
    }

    /**
     * @param guard the guard to call (e.g. an in-process model server)
     * @param vertx Vert.x to run the admin API on; null to create (and later close) one
     */
    public static StreamProcessor create(StreamProcessorConfig config, GuardClient guard, Vertx vertx) {
        return new StreamProcessor(config, guard,
                new RestSchemaRegistryClient(RegistryClientConfig.of(config.kafka().registryUrl())), vertx, Clock.systemUTC());
    }

    /** Creates the topics, starts the enabled apps and the admin API; completes when all are running. */
    public CompletionStage<Void> start() {
        return CompletableFuture.runAsync(this::startTopicsAndApps, r -> new Thread(r, "guardstream-stream-processor-start").start())
                .thenCompose(v -> awaitApps())
                .thenCompose(v -> startAdmin())
                .whenComplete((v, e) -> {
                    if (e != null) {
                        log.error("Stream processor failed to start", e);
                    } else {
                        log.info("Stream processor started: checks={}, audit={}, admin port {}",
                                checksApp != null, auditApp != null, adminPort());
                    }
                });
    }

    private CompletableFuture<Void> checksRunning;
    private CompletableFuture<Void> auditRunning;

    private void startTopicsAndApps() {
        TopicNames topics = config.topicNames();
        if (config.kafka().createTopics()) {
            try (Admin kafkaAdmin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrap()))) {
                TopicProvisioner.ensureTopics(kafkaAdmin, config.topics());
            }
        }
        AvroSerde<GuardVerdict> verdictSerde = new AvroSerde<>(registry);
        if (config.checks().enabled()) {
            AvroSerde<GuardCheck> checkSerde = new AvroSerde<>(registry);
            checksApp = new StreamsApp(StreamsProperties.CHECKS_APP,
                    ChecksTopology.build(topics, checkSerde, verdictSerde, guard, config.checks().batchMaxRecords(),
                            config.checks().batchMaxWait(), clock),
                    StreamsProperties.checks(config));
            checksRunning = checksApp.start(START_TIMEOUT).toCompletableFuture();
        }
        if (config.audit().enabled()) {
            AvroSerde<Exchange> exchangeSerde = new AvroSerde<>(registry);
            AvroSerde<Alert> alertSerde = new AvroSerde<>(registry);
            auditApp = new StreamsApp(StreamsProperties.AUDIT_APP,
                    AuditTopology.build(topics, exchangeSerde, verdictSerde, alertSerde, guard, config.audit(), clock),
                    StreamsProperties.audit(config));
            auditRunning = auditApp.start(START_TIMEOUT).toCompletableFuture();
        }
    }

    private CompletableFuture<Void> awaitApps() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        if (checksRunning != null) {
            all.add(checksRunning);
        }
        if (auditRunning != null) {
            all.add(auditRunning);
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> startAdmin() {
        if (!config.admin().enabled()) {
            return CompletableFuture.completedFuture(null);
        }
        TopicNames topics = config.topicNames();
        AlertHub hub = new AlertHub();
        closeables.add(new AlertConsumer("alert-feed", config.kafka().bootstrap(), config.kafka().registryUrl(), topics.alerts(), null, hub).start());
        if (config.webhooks().any()) {
            WebhookNotifier notifier = new WebhookNotifier(vertx, config.webhooks());
            closeables.add(notifier);
            closeables.add(0, new AlertConsumer("webhooks", config.kafka().bootstrap(), config.kafka().registryUrl(), topics.alerts(),
                    config.kafka().applicationIdPrefix() + "-webhooks", notifier::notify).start());
        }
        HostInfo self = new HostInfo(config.admin().advertisedHost(), config.admin().port());
        TenantStatsService stats = auditApp == null ? null
                : new TenantStatsService(auditApp.streams(), self, config.audit().windowSize().multipliedBy(2), clock);
        admin = new AdminServer(vertx, new TokenAuth(config.admin().token(), config.admin().tenantTokens()), hub, () -> stats);
        return admin.start(config.admin().host(), config.admin().port()).<Void>mapEmpty().toCompletionStage().toCompletableFuture();
    }

    /** Stops the admin API, the alert consumers and both apps; completes when everything is closed. */
    public CompletionStage<Void> stop() {
        CompletableFuture<Void> adminClosed = admin == null ? CompletableFuture.completedFuture(null)
                : admin.close().toCompletionStage().toCompletableFuture();
        return adminClosed.exceptionally(e -> null).thenCompose(v -> {
            for (AutoCloseable c : closeables) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("Error while closing {}", c, e);
                }
            }
            List<CompletableFuture<Void>> stops = new ArrayList<>();
            if (checksApp != null) {
                stops.add(checksApp.stop(STOP_TIMEOUT).toCompletableFuture());
            }
            if (auditApp != null) {
                stops.add(auditApp.stop(STOP_TIMEOUT).toCompletableFuture());
            }
            return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new));
        }).thenCompose(v -> {
            registry.close();
            guard.close();
            return ownsVertx ? vertx.close().toCompletionStage() : CompletableFuture.completedFuture(null);
        });
    }

    /** The effective config, with the generated admin token when none was configured. */
    public StreamProcessorConfig config() {
        return config;
    }

    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    public Optional<KafkaStreams> checksStreams() {
        return Optional.ofNullable(checksApp).map(StreamsApp::streams);
    }

    public Optional<KafkaStreams> auditStreams() {
        return Optional.ofNullable(auditApp).map(StreamsApp::streams);
    }
}
