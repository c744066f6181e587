package io.guardstream.gateway.proxy;

import io.guardstream.gateway.auth.ApiKeyAuthenticator;
import io.guardstream.gateway.auth.Principal;
import io.guardstream.gateway.errors.ApiError;
import io.guardstream.gateway.limits.TokenBucketRateLimiter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** Who calls and whether they may now: the gateway API key, then that key's rate limit. */
final class Admission {

  private final ApiKeyAuthenticator authenticator;
  private final TokenBucketRateLimiter rateLimiter;

  Admission(ApiKeyAuthenticator authenticator, TokenBucketRateLimiter rateLimiter) {
    this.authenticator = authenticator;
    this.rateLimiter = rateLimiter;
  }

  /** The caller; or {@code null} once the request is answered with 401 or 429 (after its body is drained). */
  Principal admit(HttpServerRequest req) {
    try {
      Principal principal = authenticator.authenticate(req.getHeader(HttpHeaders.AUTHORIZATION));
      int retryAfter = rateLimiter.tryAcquire(principal.keyId());
      if (retryAfter > 0) {
        throw ApiError.rateLimited(retryAfter);
      }
      return principal;
    } catch (ApiError e) {
      RequestBodies.discardThen(req, () -> ProxyHandler.fail(req, e));
      return null;
    }
  }
}
