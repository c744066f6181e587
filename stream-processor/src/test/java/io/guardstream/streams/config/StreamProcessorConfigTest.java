package io.guardstream.streams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamProcessorConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldHaveDefaultsThatRun() {
        StreamProcessorConfig config = StreamProcessorConfig.defaults();
        assertThat(config.kafka().bootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(config.admin().port()).isEqualTo(8091);
        assertThat(config.audit().burstThreshold()).isEqualTo(5);
        assertThat(config.audit().burstWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.checks().batchMaxRecords()).isEqualTo(32);
        assertThat(config.admin().withEffectiveToken().token()).startsWith("gsa-");
        assertThat(StreamProcessorConfig.of(Map.of())).isEqualTo(config);
    }

    @Test
    void shouldReadYamlThenEnvironmentThenOverrides() throws Exception {
        Path yaml = dir.resolve("sp.yaml");
        Files.writeString(yaml, """
                kafka:
                  bootstrap: broker:9092
                topics:
                  prefix: "dev."
                guard:
                  modelUrl: http://guard:8090
                  breakerFailureThreshold: 7
                checks:
                  batchMaxRecords: 16
                admin:
                  token: yaml-token
                  tenantTokens:
                    acme: acme-token
                webhooks:
                  urls:
                    acme: https://hooks.example/acme
                """);
        Map<String, String> env = Map.of("GUARDSTREAM_GUARD_MODEL_URL", "http://env-guard:1",
                "GUARDSTREAM_AUDIT_BURST_THRESHOLD", "9", "GUARDSTREAM_UNRELATED", "x");
        StreamProcessorConfig config = StreamProcessorConfig.load(yaml, env::get, Map.of("kafka.bootstrap", "cli:9092"));

        assertThat(config.kafka().bootstrap()).isEqualTo("cli:9092");
        assertThat(config.topicNames().checks()).isEqualTo("dev.guard.checks.v1");
        assertThat(config.guard().modelUrl()).isEqualTo("http://env-guard:1");
        assertThat(config.guard().breakerFailureThreshold()).isEqualTo(7);
        assertThat(config.checks().batchMaxRecords()).isEqualTo(16);
        assertThat(config.audit().burstThreshold()).isEqualTo(9);
        assertThat(config.admin().token()).isEqualTo("yaml-token");
        assertThat(config.admin().tenantTokens()).containsExactly(Map.entry("acme", "acme-token"));
        assertThat(config.webhooks().urlFor("acme")).isEqualTo("https://hooks.example/acme");
        assertThat(config.webhooks().urlFor("other")).isNull();
        assertThat(config.admin().toString()).doesNotContain("yaml-token");
    }

    @Test
    void shouldMapCommandLineFlagsToKeys() {
        StreamProcessorConfig config = io.guardstream.streams.StreamProcessorMainAccess.parse(new String[] {
                "--bootstrap", "b:1", "--registry", "http://r:2", "--model-url", "http://m:3", "--admin-port", "9999",
                "--only", "checks"}, Map.of("GUARDSTREAM_KAFKA_BOOTSTRAP", "env:1"));
        assertThat(config.kafka().bootstrap()).isEqualTo("b:1");
        assertThat(config.kafka().registryUrl()).isEqualTo("http://r:2");
        assertThat(config.guard().modelUrl()).isEqualTo("http://m:3");
        assertThat(config.admin().port()).isEqualTo(9999);
        assertThat(config.checks().enabled()).isTrue();
        assertThat(config.audit().enabled()).isFalse();
    }

    @Test
    void shouldRejectInvalidValuesNamingTheSetting() {
        assertThatThrownBy(() -> StreamProcessorConfig.of(Map.of("checks.batchMaxRecords", "0")))
                .hasMessageContaining("checks.batchMaxRecords");
        assertThatThrownBy(() -> StreamProcessorConfig.of(Map.of("admin.port", "eighty")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamProcessorConfig.of(Map.of("audit.windowAdvanceMs", "600000")))
                .hasMessageContaining("audit.windowAdvanceMs");
    }
}
