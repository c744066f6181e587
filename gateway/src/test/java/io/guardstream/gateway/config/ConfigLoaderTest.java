package io.guardstream.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.guardstream.gateway.auth.ApiKeyAuthenticator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  @Test
  void defaultsRunWithoutAnyFile() throws Exception {
    GatewayConfig config = ConfigLoader.load(null, Map.of());
    assertThat(config.server.port).isEqualTo(8080);
    assertThat(config.limits.maxBodyBytes).isEqualTo(20L * 1024 * 1024);
    assertThat(config.upstreams).isEmpty();
    assertThat(config.demoUpstream).isEqualTo("auto");
    assertThat(config.publisher.spoolFullPolicy).isEqualTo("refuse");
  }

  @Test
  void yamlThenEnvironmentOverrides() throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, """
        server:
          port: 9000
        upstreams:
          - name: vllm
            baseUrl: http://localhost:8000/v1
            models: [qwen2-vl]
            apiKeyEnv: VLLM_KEY
            readTimeoutMs: 30000
          - name: openai
            baseUrl: https://api.openai.com/v1
            models: ["*"]
        passthrough: [/v1/embeddings]
        apiKeys:
          - sha256: %s
            tenant: acme
            policy: strict
        limits:
          maxImageParts: 4
          rateLimit: {requestsPerSecond: 5, burst: 10}
        """.formatted(ApiKeyAuthenticator.sha256Hex("k1")));
    GatewayConfig config = ConfigLoader.load(file, Map.of(
        "GUARDSTREAM_SERVER_PORT", "9100",
        "GUARDSTREAM_LIMITS_MAX_BODY_BYTES", "1048576",
        "GUARDSTREAM_LIMITS_RATE_LIMIT_BURST", "3",
        "GUARDSTREAM_PASSTHROUGH", "/v1/embeddings,/v1/completions",
        "GUARDSTREAM_PUBLISHER_TYPE", "kafka",
        "GUARDSTREAM_API_KEY", "k2",
        "OTHER", "ignored"));
    assertThat(config.server.port).isEqualTo(9100);
    assertThat(config.limits.maxBodyBytes).isEqualTo(1048576);
    assertThat(config.limits.maxImageParts).isEqualTo(4);
    assertThat(config.limits.rateLimit.requestsPerSecond).isEqualTo(5.0);
    assertThat(config.limits.rateLimit.burst).isEqualTo(3);
    assertThat(config.passthrough).containsExactly("/v1/embeddings", "/v1/completions");
    assertThat(config.publisher.type).isEqualTo("kafka");
    assertThat(config.upstreams).extracting(u -> u.name).containsExactly("vllm", "openai");
    assertThat(config.upstreams.get(0).readTimeoutMs).isEqualTo(30000);
    assertThat(config.upstreams.get(0).connectTimeoutMs).isEqualTo(GatewayConfig.UpstreamRoute.DEFAULT_CONNECT_TIMEOUT_MS);
    assertThat(config.defaultRoute().name).isEqualTo("openai");
    assertThat(config.apiKeys).hasSize(2);
    assertThat(config.apiKeys.get(0).tenant).isEqualTo("acme");
    assertThat(config.apiKeys.get(1).sha256).isEqualTo(ApiKeyAuthenticator.sha256Hex("k2"));
  }

  @Test
  void upstreamShortcutSetsTheDefaultRoute() throws Exception {
    GatewayConfig config = ConfigLoader.load(null, Map.of("GUARDSTREAM_UPSTREAM", "http://127.0.0.1:11434/v1"));
    assertThat(config.defaultRoute().baseUrl).isEqualTo("http://127.0.0.1:11434/v1");
  }

  @Test
  void unknownKeysAreRejected() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "server:\n  prot: 1\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).hasMessageContaining("prot");
  }
}
