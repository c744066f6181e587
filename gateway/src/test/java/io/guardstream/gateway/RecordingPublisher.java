package io.guardstream.gateway;

import io.guardstream.gateway.exchange.ExchangeRecord;
import io.guardstream.gateway.publish.ExchangePublisher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

final class RecordingPublisher implements ExchangePublisher {

  final List<ExchangeRecord> exchanges = new CopyOnWriteArrayList<>();
  volatile boolean accepting = true;

  @Override
  public void publish(ExchangeRecord exchange) {
    exchanges.add(exchange);
  }

  @Override
  public boolean accepting() {
    return accepting;
  }

  ExchangeRecord byId(String id) {
    return exchanges.stream().filter(e -> e.exchangeId().equals(id)).findFirst().orElse(null);
  }

  /** The first exchange recorded for {@code model}, or null. */
  ExchangeRecord byModel(String model) {
    return exchanges.stream().filter(e -> model.equals(e.model())).findFirst().orElse(null);
  }
}
