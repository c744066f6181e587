package io.guardstream.model.config;

import io.guardstream.model.encoder.BaseEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelServerConfigTest {

    @Test
    void shouldRunWithDefaults() {
        ModelServerConfig c = ModelServerConfig.defaults();
        assertThat(c.server().port()).isEqualTo(8090);
        assertThat(c.model().encoder()).isEqualTo(BaseEncoder.DEFAULT.id());
        assertThat(c.model().device()).isEqualTo("auto");
        assertThat(c.model().precision()).isEqualTo("auto");
        assertThat(c.model().sessions()).isZero();
        assertThat(c.encoderSessions()).isEqualTo(c.batching().workers()).isEqualTo(2);
        assertThat(c.batching().maxBatch()).isEqualTo(32);
        assertThat(c.batching().backgroundMaxBatch()).isEqualTo(4);
        assertThat(c.batching().backgroundQueueCapacity()).isEqualTo(1024);
    }

    @Test
    void shouldApplyYamlThenEnvironment(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("model.yaml");
        Files.writeString(yaml, """
                server:
                  port: 9001
                batching:
                  max-batch: 8
                  max-wait-ms: 20
                  background-max-batch: 2
                model:
                  device: cpu
                  encoder: minilm-l6
                """);
        ModelServerConfig c = ModelServerConfig.load(yaml, Map.of(
                "GUARDSTREAM_MODEL_BATCHING_MAX_BATCH", "64",
                "GUARDSTREAM_MODEL_LIMITS_MAX_TEXT_CHARS", "1000",
                "GUARDSTREAM_MODEL_BATCHING_BACKGROUND_QUEUE_CAPACITY", "16",
                "GUARDSTREAM_MODEL_MODEL_PRECISION", "fp32",
                "GUARDSTREAM_MODEL_MODEL_SESSIONS", "2"));
        assertThat(c.server().port()).isEqualTo(9001);
        assertThat(c.batching().maxBatch()).isEqualTo(64);
        assertThat(c.batching().maxWaitMs()).isEqualTo(20);
        assertThat(c.batching().backgroundMaxBatch()).isEqualTo(2);
        assertThat(c.batching().backgroundQueueCapacity()).isEqualTo(16);
        assertThat(c.model().device()).isEqualTo("cpu");
        assertThat(c.model().encoder()).isEqualTo("minilm-l6");
        assertThat(c.model().precision()).isEqualTo("fp32");
        assertThat(c.model().sessions()).isEqualTo(2);
        assertThat(c.encoderSessions()).isEqualTo(2);
        assertThat(c.limits().maxTextChars()).isEqualTo(1000);
    }

    @Test
    void shouldRejectInvalidValues() {
        assertThatThrownBy(() -> ModelServerConfig.load(null, Map.of("GUARDSTREAM_MODEL_MODEL_DEVICE", "tpu")))
                .hasMessageContaining("auto, cpu or gpu");
        assertThatThrownBy(() -> ModelServerConfig.load(null, Map.of("GUARDSTREAM_MODEL_MODEL_PRECISION", "int4")))
                .hasMessageContaining("precision must be auto, fp32, bf16 or int8");
        assertThatThrownBy(() -> ModelServerConfig.load(null, Map.of("GUARDSTREAM_MODEL_MODEL_ENCODER", "bert-large")))
                .hasMessageContaining("unknown encoder 'bert-large'").hasMessageContaining("e5-small-v2");
        assertThatThrownBy(() -> ModelServerConfig.load(null, Map.of("GUARDSTREAM_MODEL_SERVER_PORT", "http")))
                .hasMessageContaining("server.port must be an integer");
        assertThatThrownBy(() -> ModelServerConfig.load(null, Map.of("GUARDSTREAM_MODEL_BATCHING_BACKGROUND_MAX_BATCH", "0")))
                .hasMessageContaining("batching values must be positive");
        assertThatThrownBy(() -> ModelServerConfig.load(null, Map.of("GUARDSTREAM_MODEL_MODEL_SESSIONS", "3")))
                .hasMessageContaining("model.sessions must be in [0, batching.workers = 2]");
        assertThatThrownBy(() -> ModelServerConfig.load(null, Map.of("GUARDSTREAM_MODEL_MODEL_SESSIONS", "-1")))
                .hasMessageContaining("model.sessions");
    }
}
