package io.guardstream.model.serve;

import io.guardstream.model.config.ModelServerConfig;
import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.heads.GuardHeads;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class ModelServerNotReadyTest {

    @Test
    void shouldRefuseAHeadsFileTrainedOnAnotherEncoder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("heads.bin");
        GuardHeads.shipped(BaseEncoder.MINILM_L6).write(file);
        ModelServerConfig config = ModelServerConfig.load(null, Map.of(
                "GUARDSTREAM_MODEL_MODEL_ENCODER", "e5-small-v2",
                "GUARDSTREAM_MODEL_MODEL_HEADS_PATH", file.toString()));
        assertThatThrownBy(() -> ModelServer.loadModel(config))
                .hasMessageContaining("heads for the minilm-l6 encoder")
                .hasMessageContaining("set model.encoder: minilm-l6");
    }

    @Test
    void shouldSayNotReadyWithTheReasonWhenHeadsAreMissing() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            ModelServerConfig config = ModelServerConfig.load(null, Map.of("GUARDSTREAM_MODEL_SERVER_PORT", "0"));
            ModelServer server = new ModelServer(vertx, config, () -> {
                throw new IllegalStateException("no trained guard heads: test");
            });
            int port = server.start().await(30, TimeUnit.SECONDS);
            assertThat(catchThrowable(() -> server.ready().await(30, TimeUnit.SECONDS))).hasMessageContaining("no trained guard heads");
            WebClient client = WebClient.create(vertx);
            HttpResponse<Buffer> health = client.get(port, "localhost", "/health/ready").send().await(10, TimeUnit.SECONDS);
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("not_ready");
            assertThat(health.bodyAsJsonObject().getString("reason")).contains("no trained guard heads");

            HttpResponse<Buffer> guard = client.post(port, "localhost", "/v1/guard")
                    .sendJsonObject(new JsonObject().put("request", new JsonObject().put("text", "hi"))).await(10, TimeUnit.SECONDS);
            assertThat(guard.statusCode()).isEqualTo(503);
            assertThat(guard.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("model_not_ready");
            server.stop().await(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
