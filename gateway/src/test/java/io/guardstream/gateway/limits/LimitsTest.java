package io.guardstream.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.guardstream.gateway.config.GatewayConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LimitsTest {

  @Test
  void utf8ValidatorAcceptsWellFormedAndRejectsOverlongsSurrogatesAndTruncation() {
    assertThat(Utf8.firstInvalid(bytes("plain ascii"), 0, 11)).isEqualTo(-1);
    byte[] mixed = "h\u00e9 \u4e16 \uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8.firstInvalid(mixed, 0, mixed.length)).isEqualTo(-1);
    assertThat(Utf8.firstInvalid(new byte[] {'a', (byte) 0xC0, (byte) 0xAF}, 0, 3)).isEqualTo(1);
    assertThat(Utf8.firstInvalid(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3)).isEqualTo(0);
    assertThat(Utf8.firstInvalid(new byte[] {'a', 'b', (byte) 0xE4, (byte) 0xB8}, 0, 4)).isEqualTo(2);
    assertThat(Utf8.firstInvalid(new byte[] {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, 0, 4)).isEqualTo(0);
    assertThat(Utf8.firstInvalid(new byte[] {(byte) 0x80}, 0, 1)).isEqualTo(0);
  }

  @Test
  void tokenBucketRefillsAtItsRateAndTellsHowLongToWait() {
    GatewayConfig.RateLimit config = new GatewayConfig.RateLimit();
    config.requestsPerSecond = 2;
    config.burst = 2;
    long[] now = {0};
    TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(config, () -> now[0]);
    assertThat(limiter.tryAcquire("k")).isZero();
    assertThat(limiter.tryAcquire("k")).isZero();
    assertThat(limiter.tryAcquire("k")).isEqualTo(1);
    assertThat(limiter.tryAcquire("other")).as("buckets are per key").isZero();
    now[0] += 500_000_000L;
    assertThat(limiter.tryAcquire("k")).isZero();
    assertThat(limiter.tryAcquire("k")).isEqualTo(1);
  }

  @Test
  void disabledRateLimitAlwaysGrants() {
    TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(new GatewayConfig.RateLimit());
    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.tryAcquire("k")).isZero();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
