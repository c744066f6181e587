package io.guardstream.gateway.publish;

import io.guardstream.gateway.exchange.ExchangeRecord;

/** Publisher for {@code publisher.type: none}: exchanges are assembled and dropped. */
public final class DiscardingExchangePublisher implements ExchangePublisher {

  @Override
  public void publish(ExchangeRecord exchange) {
  }

  @Override
  public boolean wantsExchanges() {
    return false;
  }
}
