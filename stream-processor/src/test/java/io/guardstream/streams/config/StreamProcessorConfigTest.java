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
    }

    @Test
    void shouldReadYamlThenEnvironmentThenOverrides() throws Exception {
        Path yaml = dir.resolve("sp.yaml");
        Files.writeString(yaml, """
                kafka:
                  bootstrap: broker:9092
                  topic-prefix: "dev."
                guard:
                  model-url: http://guard:8090
                  breaker:
                    failure-threshold: 7
                checks:
                  batch-max-records: 16
                admin:
                  token: yaml-token
                  tenant-tokens:
                    acme: acme-token
                webhooks:
                  urls:
                    acme: https://hooks.example/acme
                """);
        StreamProcessorConfig config = StreamProcessorConfig.load(yaml,
                Map.of("GUARDSTREAM_GUARD_MODEL_URL", "http://env-guard:1",
                        "GUARDSTREAM_ADMIN_TENANT_TOKENS_GLOBEX", "globex-token",
                        "GUARDSTREAM_AUDIT_BURST_THRESHOLD", "9",
                        "GUARDSTREAM_UNRELATED", "x"),
                Map.of("kafka.bootstrap", "cli:9092"));

        assertThat(config.kafka().bootstrap()).isEqualTo("cli:9092");
        assertThat(config.kafka().topic("guard.checks.v1")).isEqualTo("dev.guard.checks.v1");
        assertThat(config.guard().modelUrl()).isEqualTo("http://env-guard:1");
        assertThat(config.guard().breakerFailureThreshold()).isEqualTo(7);
        assertThat(config.checks().batchMaxRecords()).isEqualTo(16);
        assertThat(config.audit().burstThreshold()).isEqualTo(9);
        assertThat(config.admin().token()).isEqualTo("yaml-token");
        assertThat(config.admin().tenantTokens()).containsEntry("acme", "acme-token").containsEntry("globex", "globex-token");
        assertThat(config.webhooks().urlFor("acme")).isEqualTo("https://hooks.example/acme");
        assertThat(config.webhooks().urlFor("other")).isNull();
        assertThat(config.admin().toString()).doesNotContain("yaml-token");
    }

    @Test
    void shouldRejectInvalidValuesNamingTheSetting() {
        assertThatThrownBy(() -> StreamProcessorConfig.from(Settings.of(Map.of("checks.batch-max-records", "0"))))
                .hasMessageContaining("checks.batch-max-records");
        assertThatThrownBy(() -> StreamProcessorConfig.from(Settings.of(Map.of("admin.port", "eighty"))))
                .hasMessageContaining("admin.port");
    }
}
