package io.guardstream.standalone;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.guardstream.avro.registry.EmbeddedSchemaRegistry;
import io.guardstream.kafka.EmbeddedKafkaBroker;
import io.guardstream.kafka.TopicProvisioner;
import io.guardstream.kafka.Topics;
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

    private final StandaloneConfig config;
    private final Map<String, String> endpoints = new LinkedHashMap<>();
    private final List<AutoCloseable> running = new ArrayList<>();
    private EmbeddedKafkaBroker broker;
    private EmbeddedSchemaRegistry registry;
    private Vertx vertx;

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
            return this;
        } catch (Exception e) {
            close();
            throw new IllegalStateException("GuardStream standalone failed to start: " + e.getMessage(), e);
        }
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
