package io.guardstream.gateway.guard;

import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.vertx.core.Future;

/**
 * Asks the guard for a verdict on one check, without blocking: {@code kafka} through the checks and
 * replies topics, {@code direct} over HTTP to the model server. Completes on the caller's context.
 */
public interface GuardClient {

  /**
   * @return the verdict; fails with {@link GuardUnavailableException} when none arrives within
   *     {@code timeoutMs}, the transport fails, or the guard answered with an error verdict
   */
  Future<GuardVerdict> judge(GuardCheck check, long timeoutMs);

  Future<Void> close();
}
