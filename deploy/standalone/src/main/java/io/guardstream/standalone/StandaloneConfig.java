package io.guardstream.standalone;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import io.guardstream.config.ConfigLoader;
import io.guardstream.kafka.TopicSettings;

/**
 * Settings of the all-in-one JVM. Defaults run on one machine; a YAML file ({@code --config}),
 * {@code GUARDSTREAM_*} environment variables and command-line flags override them in that order.
 *
 * @param dataDir where the broker keeps its log (and so the registry its schemas); survives restarts
 * @param kafka the embedded broker's listeners
 * @param registry the embedded schema registry's listener
 * @param topics how topics are created when missing
 */
public record StandaloneConfig(String dataDir, Kafka kafka, Registry registry, TopicSettings topics) {

    public static final String ENV_PREFIX = "GUARDSTREAM_";

    /** @param host listen address (loopback by default: the broker has no authentication) */
    public record Kafka(String host, int port, int controllerPort) {
    }

    /** @param host listen address (loopback by default: the registry has no authentication) */
    public record Registry(String host, int port) {
    }

    public static StandaloneConfig defaults() {
        return new StandaloneConfig("./data", new Kafka("127.0.0.1", 9092, 9093), new Registry("127.0.0.1", 8081),
                TopicSettings.defaults());
    }

    public static ConfigLoader<StandaloneConfig> loader() {
        return new ConfigLoader<>(StandaloneConfig.class, defaults(), ENV_PREFIX);
    }

    public static StandaloneConfig load(Path yamlFile, Function<String, String> env, Map<String, String> overrides) {
        return loader().load(yamlFile, env, overrides);
    }

    public Path kafkaLogDir() {
        return Path.of(dataDir).resolve("kafka");
    }
}
