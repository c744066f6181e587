package io.guardstream.gateway.enforce;

import io.guardstream.gateway.exchange.ExchangeAssembler;
import io.guardstream.gateway.policy.PolicyStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/** The request and response stages of in-flight moderation, sharing one policy store and one set of guards. */
public final class Moderation {

  private final RequestEnforcement requestStage;
  private final ResponseEnforcement responseStage;

  public Moderation(Vertx vertx, PolicyStore policies, Guards guards, ExchangeAssembler assembler, MeterRegistry registry) {
    GuardChecks checks = new GuardChecks(vertx, assembler);
    EnforcementMetrics metrics = new EnforcementMetrics(registry);
    this.requestStage = new RequestEnforcement(policies, guards, checks, metrics);
    this.responseStage = new ResponseEnforcement(guards, checks, metrics);
  }

  public RequestEnforcement requestStage() {
    return requestStage;
  }

  public ResponseEnforcement responseStage() {
    return responseStage;
  }
}
