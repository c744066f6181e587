package io.guardstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    record Kafka(int port, int controllerPort, String host) {
    }

    record Sample(String dataDir, Kafka kafka, List<String> tags) {
        static Sample defaults() {
            return new Sample("./data", new Kafka(9092, 9093, "127.0.0.1"), List.of("a"));
        }
    }

    private final ConfigLoader<Sample> loader = new ConfigLoader<>(Sample.class, Sample.defaults(), "GUARDSTREAM_");

    @Test
    void shouldLayerYamlThenEnvironmentThenOverrides(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("config.yaml");
        Files.writeString(yaml, "kafka:\n  port: 19092\n  host: 0.0.0.0\ntags: [x, y]\n");
        Map<String, String> env = Map.of("GUARDSTREAM_KAFKA_CONTROLLER_PORT", "19093", "GUARDSTREAM_KAFKA_HOST", "localhost");

        Sample config = loader.load(yaml, env::get, Map.of("dataDir", "/tmp/gs"));

        assertThat(config.kafka().port()).isEqualTo(19092);
        assertThat(config.kafka().controllerPort()).isEqualTo(19093);
        assertThat(config.kafka().host()).isEqualTo("localhost");
        assertThat(config.tags()).containsExactly("x", "y");
        assertThat(config.dataDir()).isEqualTo("/tmp/gs");
    }

    @Test
    void shouldKeepDefaultsWhenNothingIsGiven() {
        assertThat(loader.load(null, name -> null, Map.of())).isEqualTo(Sample.defaults());
    }

    @Test
    void shouldNameEnvironmentVariablesInUpperSnakeCase() {
        assertThat(loader.envName("kafka.controllerPort")).isEqualTo("GUARDSTREAM_KAFKA_CONTROLLER_PORT");
        assertThat(loader.keyPaths()).contains("dataDir", "kafka.port", "kafka.controllerPort", "tags");
    }

    @Test
    void shouldRejectUnknownKeysAndBadValuesClearly(@TempDir Path dir) throws Exception {
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "kafka:\n  prot: 1\n");
        assertThatThrownBy(() -> loader.load(typo, name -> null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prot");

        assertThatThrownBy(() -> loader.load(null, Map.of("GUARDSTREAM_KAFKA_PORT", "ninety")::get, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ninety");

        assertThatThrownBy(() -> loader.load(dir.resolve("missing.yaml"), name -> null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.yaml");
    }
}
