package io.guardstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RateLimitTest {

  @Test
  void keyOverItsBucketGets429WithRetryAfter() throws Exception {
    try (GatewayFixture fx = new GatewayFixture(c -> {
      c.limits.rateLimit.requestsPerSecond = 0.2;
      c.limits.rateLimit.burst = 3;
    })) {
      String body = "{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
      for (int i = 0; i < 3; i++) {
        assertThat(fx.postJson(body).statusCode()).isEqualTo(200);
      }
      HttpResponse<byte[]> limited = fx.postJson(body);
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("retry-after")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 5));
      assertThat(new String(limited.body())).contains("\"code\":\"rate_limit_exceeded\"").contains("\"type\":\"rate_limit_error\"");
      assertThat(fx.upstream.received()).hasSize(3);
      assertThat(fx.publisher.exchanges).hasSizeLessThanOrEqualTo(3);
    }
  }
}
