package io.guardstream.gateway.publish;

import io.guardstream.gateway.exchange.ExchangeRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publisher for {@code publisher.type: log}: one summary line per exchange, no message content. */
public final class LoggingExchangePublisher implements ExchangePublisher {

  private static final Logger LOG = LoggerFactory.getLogger("guardstream.exchanges");

  @Override
  public void publish(ExchangeRecord e) {
    LOG.info("exchange id={} tenant={} key={} model={} upstream={} stream={} status={} finish={} ms={}",
        e.exchangeId(), e.tenantId(), e.keyId(), e.model(), e.upstream(), e.stream(), e.httpStatus(),
        e.finishReason(), e.completedAtMs() - e.receivedAtMs());
  }
}
