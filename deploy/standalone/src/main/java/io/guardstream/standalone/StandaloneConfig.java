package io.guardstream.standalone;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import io.guardstream.config.ConfigLoader;
import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.kafka.TopicSettings;
import io.guardstream.streams.config.StreamProcessorConfig;

/**
 * Settings of the all-in-one JVM. Defaults run on one machine; a YAML file ({@code --config}),
 * {@code GUARDSTREAM_*} environment variables and command-line flags override them in that order.
 * Each service keeps its own section ({@code gateway}, {@code streams}); the addresses that connect the
 * services (broker, registry, model server) are filled in by {@link Standalone} from what it started.
 *
 * @param dataDir where the broker keeps its log (and so the registry its schemas); survives restarts
 * @param kafka the embedded broker's listeners
 * @param registry the embedded schema registry's listener
 * @param modelServer the guard model server's listener and its own settings file (model, batching, limits;
 *     {@code GUARDSTREAM_MODEL_*} variables apply as for {@code bin/guardstream model-server})
 * @param topics how topics are created when missing
 * @param gateway the gateway's settings; moderation is on by default in standalone
 * @param streams the stream processor's settings
 */
public record StandaloneConfig(String dataDir, Kafka kafka, Registry registry, ModelServer modelServer, TopicSettings topics,
                               GatewayConfig gateway, StreamProcessorConfig streams) {

    public static final String ENV_PREFIX = "GUARDSTREAM_";

    /** @param host listen address (loopback by default: the broker has no authentication) */
    public record Kafka(String host, int port, int controllerPort) {
    }

    /** @param host listen address (loopback by default: the registry has no authentication) */
    public record Registry(String host, int port) {
    }

    /** @param config model-server YAML (kebab-case keys, see docs/model-server.md); empty for its defaults */
    public record ModelServer(String host, int port, String config) {
    }

    public static StandaloneConfig defaults() {
        GatewayConfig gateway = new GatewayConfig();
        gateway.moderation.enabled = true;
        // one machine, possibly without API keys: listen on loopback unless the config says otherwise
        gateway.server.host = "127.0.0.1";
        StreamProcessorConfig streams = StreamProcessorConfig.defaults();
        StreamProcessorConfig.Admin admin = streams.admin();
        streams = streams.withAdmin(new StreamProcessorConfig.Admin(admin.enabled(), "127.0.0.1", admin.port(),
                admin.advertisedHost(), admin.token(), admin.tenantTokens()));
        return new StandaloneConfig("./data", new Kafka("127.0.0.1", 9092, 9093), new Registry("127.0.0.1", 8081),
                new ModelServer("127.0.0.1", 8090, null), TopicSettings.defaults(), gateway, streams);
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
