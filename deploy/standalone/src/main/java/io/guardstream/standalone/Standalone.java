package io.guardstream.standalone;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.guardstream.avro.registry.EmbeddedSchemaRegistry;
import io.guardstream.gateway.Gateway;
import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.kafka.EmbeddedKafkaBroker;
import io.guardstream.kafka.TopicSettings;
import io.guardstream.kafka.TopicProvisioner;
import io.guardstream.kafka.Topics;
import io.guardstream.model.config.ModelServerConfig;
import io.guardstream.model.serve.ModelServer;
import io.guardstream.streams.StreamProcessor;
import io.guardstream.streams.config.StreamProcessorConfig;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs GuardStream in one JVM: an embedded KRaft broker, the embedded schema registry and every service,
 * started in dependency order and stopped in reverse.
 */
public final class Standalone implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Standalone.class);
    private static final long STOP_TIMEOUT_SECONDS = 30;
    private static final long MODEL_READY_TIMEOUT_SECONDS = 300;

    private final StandaloneConfig config;
    private final Map<String, String> endpoints = new LinkedHashMap<>();
    private final List<AutoCloseable> running = new ArrayList<>();
    private EmbeddedKafkaBroker broker;
    private EmbeddedSchemaRegistry registry;
    private Vertx vertx;
    private ModelServer modelServer;
    private StreamProcessor streamProcessor;
    private Gateway gateway;
    private String adminToken;

    public Standalone(StandaloneConfig config) {
        this.config = config;
    }

    /** Starts everything, or stops what was started and rethrows when a part fails. */
    public synchronized Standalone start() {
        try {
            broker = EmbeddedKafkaBroker.builder()
                    .logDir(config.kafkaLogDir())
                    .port(config.kafka().port())
                    .controllerPort(config.kafka().controllerPort())
                    .build()
                    .start();
            running.add(broker);
            endpoints.put("kafka", broker.bootstrapServers());

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                TopicProvisioner.ensureTopics(admin, config.topics());
            }

            vertx = Vertx.vertx();
            running.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            registry = EmbeddedSchemaRegistry.start(vertx, broker.bootstrapServers(), Topics.SCHEMAS,
                            config.registry().host(), config.registry().port())
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            running.add(() -> registry.close().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            endpoints.put("schema-registry", "http://" + config.registry().host() + ":" + registry.port());

            startModelServer();
            startStreamProcessor(modelServerUrl());
            startGateway();
            return this;
        } catch (Exception e) {
            close();
            throw new IllegalStateException("GuardStream standalone failed to start: " + e.getMessage(), e);
        }
    }

    /** Loads the guard model and waits until it answered a warm-up batch, so the first check is not slow. */
    private void startModelServer() throws Exception {
        String file = config.modelServer().config();
        ModelServerConfig settings = ModelServerConfig.load(file == null || file.isBlank() ? null : Path.of(file),
                        ModelServerConfig.environment())
                .withHost(config.modelServer().host())
                .withPort(config.modelServer().port());
        modelServer = new ModelServer(vertx, settings);
        running.add(() -> modelServer.stop().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        modelServer.start().compose(port -> modelServer.ready())
                .toCompletionStage().toCompletableFuture().get(MODEL_READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        endpoints.put("model-server", modelServerUrl());
    }

    private String modelServerUrl() {
        return "http://" + displayHost(config.modelServer().host()) + ":" + modelServer.port();
    }

    private void startStreamProcessor(String modelUrl) throws Exception {
        StreamProcessorConfig base = config.streams();
        StreamProcessorConfig.Guard guard = base.guard();
        StreamProcessorConfig settings = base
                .withKafka(base.kafka().withBootstrap(broker.bootstrapServers()).withRegistryUrl(registry.url())
                        .withStateDir(Path.of(config.dataDir()).resolve("streams-state").toAbsolutePath().toString()))
                .withGuard(new StreamProcessorConfig.Guard(modelUrl, guard.connectTimeoutMs(), guard.requestTimeoutMs(),
                        guard.maxRetries(), guard.retryBackoffMs(), guard.breakerFailureThreshold(), guard.breakerOpenMs()))
                .withTopics(config.topics())
                .withAdmin(base.admin().withEffectiveToken());
        streamProcessor = StreamProcessor.create(settings);
        running.add(() -> streamProcessor.stop().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        streamProcessor.start().toCompletableFuture().get(StreamProcessor.START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (settings.admin().enabled()) {
            endpoints.put("stream-admin", "http://" + settings.admin().advertisedHost() + ":" + streamProcessor.adminPort());
            adminToken = streamProcessor.config().admin().token();
        }
    }

    private void startGateway() throws Exception {
        GatewayConfig settings = config.gateway();
        TopicSettings topics = config.topics();
        settings.publisher.type = "kafka";
        settings.publisher.bootstrapServers = broker.bootstrapServers();
        settings.publisher.schemaRegistryUrl = registry.url();
        settings.publisher.topic = topics.name(Topics.EXCHANGES);
        settings.publisher.spoolDir = Path.of(config.dataDir()).resolve("gateway-spool").toString();
        GatewayConfig.KafkaGuard transport = settings.moderation.kafka;
        transport.bootstrapServers = broker.bootstrapServers();
        transport.schemaRegistryUrl = registry.url();
        transport.checksTopic = topics.name(Topics.CHECKS);
        transport.repliesTopic = topics.name(Topics.REPLIES);
        if (settings.moderation.direct.url == null || settings.moderation.direct.url.isBlank()) {
            settings.moderation.direct.url = modelServerUrl();
        }
        gateway = Gateway.create(settings);
        running.add(() -> gateway.stop().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        gateway.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        endpoints.put("gateway", "http://" + displayHost(settings.server.host) + ":" + gateway.port() + "/v1");
    }

    private static String displayHost(String host) {
        return "0.0.0.0".equals(host) ? "127.0.0.1" : host;
    }

    /** The embedded guard model server, e.g. for tests that take it down to exercise fail-open and fail-closed. */
    public ModelServer modelServer() {
        return modelServer;
    }

    /** The stream processor's admin token (generated when none was configured), for the console and tests. */
    public String adminToken() {
        return adminToken;
    }

    /** What listens where, in start order, e.g. {@code kafka -> 127.0.0.1:9092}. */
    public synchronized Map<String, String> endpoints() {
        return Collections.unmodifiableMap(endpoints);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    @Override
    public synchronized void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                log.warn("Error while stopping a component", e);
            }
        }
        running.clear();
        endpoints.clear();
    }
}
