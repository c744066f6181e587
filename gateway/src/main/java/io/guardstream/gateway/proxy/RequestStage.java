package io.guardstream.gateway.proxy;

import io.vertx.core.Future;

/**
 * Runs after a chat request was authenticated and validated and before it is forwarded, in
 * registration order. Succeed to go on (after {@link ExchangeContext#replaceBody} if rewriting);
 * fail with an {@link io.guardstream.gateway.errors.ApiError} to answer the client instead of the
 * upstream, which then never sees the request.
 */
@FunctionalInterface
public interface RequestStage {

  Future<Void> onRequest(ExchangeContext exchange);
}
