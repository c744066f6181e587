package io.guardstream.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.guardstream.avro.registry.EmbeddedSchemaRegistry;
import io.guardstream.avro.registry.RegistryClientConfig;
import io.guardstream.kafka.EmbeddedKafkaBroker;
import io.guardstream.kafka.Topics;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving tests one real KRaft broker and one embedded schema registry per test JVM,
 * started on first use and stopped when the JVM's tests are done. Tests must use their own topic names.
 *
 * <pre>{@code @ExtendWith(KafkaTestEnvironment.class) class MyTest { ... KafkaTestEnvironment.get().bootstrapServers() ... }}</pre>
 */
public final class KafkaTestEnvironment implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {

    private static KafkaTestEnvironment instance;

    private final Path dataDir;
    private final EmbeddedKafkaBroker broker;
    private final Vertx vertx;
    private final EmbeddedSchemaRegistry registry;

    public KafkaTestEnvironment() {
        this.dataDir = null;
        this.broker = null;
        this.vertx = null;
        this.registry = null;
    }

    private KafkaTestEnvironment(Path dataDir) throws Exception {
        this.dataDir = dataDir;
        this.broker = EmbeddedKafkaBroker.builder().logDir(dataDir.resolve("kafka")).build().start();
        this.vertx = Vertx.vertx();
        this.registry = EmbeddedSchemaRegistry.start(vertx, broker.bootstrapServers(), Topics.SCHEMAS, "127.0.0.1", 0)
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    public static synchronized KafkaTestEnvironment get() {
        if (instance == null) {
            try {
                instance = new KafkaTestEnvironment(Files.createTempDirectory("guardstream-test-"));
            } catch (Exception e) {
                throw new IllegalStateException("Cannot start the test Kafka environment", e);
            }
        }
        return instance;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        KafkaTestEnvironment env = get();
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KafkaTestEnvironment.class, key -> env);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    public Vertx vertx() {
        return vertx;
    }

    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    /** Serde settings pointing at the test registry, for Kafka client property maps. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(RegistryClientConfig.URL, registryUrl());
        return config;
    }

    @Override
    public void close() throws Exception {
        synchronized (KafkaTestEnvironment.class) {
            if (this != instance) {
                return;
            }
            instance = null;
        }
        registry.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        broker.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
