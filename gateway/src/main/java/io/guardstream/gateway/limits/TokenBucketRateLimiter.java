package io.guardstream.gateway.limits;

import io.guardstream.gateway.config.GatewayConfig;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** One token bucket per API key id; thread-safe, lock per bucket. */
public final class TokenBucketRateLimiter {

  private final double ratePerNano;
  private final double capacity;
  private final boolean enabled;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public TokenBucketRateLimiter(GatewayConfig.RateLimit config) {
    this(config, System::nanoTime);
  }

  public TokenBucketRateLimiter(GatewayConfig.RateLimit config, LongSupplier nanoClock) {
    this.enabled = config.requestsPerSecond > 0;
    this.ratePerNano = config.requestsPerSecond / 1e9;
    this.capacity = Math.max(1, config.burst > 0 ? config.burst : Math.ceil(config.requestsPerSecond));
    this.nanoClock = nanoClock;
  }

  /** Takes one token; returns 0 when granted, otherwise the whole seconds to wait before retrying. */
  public int tryAcquire(String keyId) {
    if (!enabled) {
      return 0;
    }
    Bucket bucket = buckets.computeIfAbsent(keyId, k -> new Bucket(capacity, nanoClock.getAsLong()));
    synchronized (bucket) {
      long now = nanoClock.getAsLong();
      bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.lastNanos) * ratePerNano);
      bucket.lastNanos = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      double waitNanos = (1 - bucket.tokens) / ratePerNano;
      return (int) Math.max(1, Math.ceil(waitNanos / 1e9));
    }
  }

  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long lastNanos) {
      this.tokens = tokens;
      this.lastNanos = lastNanos;
    }
  }
}
