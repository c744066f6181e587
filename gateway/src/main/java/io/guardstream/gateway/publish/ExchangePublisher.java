package io.guardstream.gateway.publish;

import io.guardstream.gateway.exchange.ExchangeRecord;
import io.vertx.core.Future;

/**
 * Where completed exchanges go. {@link #publish} is called on an event loop and must return at
 * once; delivery happens elsewhere.
 */
public interface ExchangePublisher {

  /** Hands the exchange over for delivery; never blocks, never throws for delivery problems. */
  void publish(ExchangeRecord exchange);

  /**
   * False while the publisher cannot take more exchanges and its policy is to refuse: the gateway
   * then answers new requests with 503 instead of losing their exchanges.
   */
  /** False when exchanges go nowhere, so the gateway need not assemble them. */
  default boolean wantsExchanges() {
    return true;
  }

  default boolean accepting() {
    return true;
  }

  /** True when the publisher is fit to serve (used by {@code /health/ready}). */
  default boolean ready() {
    return true;
  }

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
