package io.guardstream.gateway.enforce;

import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.gateway.guard.GuardClient;
import io.guardstream.gateway.guard.GuardUnavailableException;
import io.guardstream.gateway.policy.Modes.Transport;
import io.guardstream.gateway.policy.Policy;
import io.vertx.core.Future;
import java.util.EnumMap;
import java.util.Map;

/** The guard transports this gateway has, picked per policy. A policy naming a missing one gets guard failures. */
public final class Guards {

  private final Map<Transport, GuardClient> clients = new EnumMap<>(Transport.class);

  public Guards with(Transport transport, GuardClient client) {
    if (client != null) {
      clients.put(transport, client);
    }
    return this;
  }

  public boolean has(Transport transport) {
    return clients.containsKey(transport);
  }

  Future<GuardVerdict> judge(Policy policy, GuardCheck check) {
    GuardClient client = clients.get(policy.transport);
    if (client == null) {
      return Future.failedFuture(new GuardUnavailableException(GuardUnavailableException.Reason.TRANSPORT_ERROR,
          "no " + policy.transport.yaml() + " guard transport is configured"));
    }
    return client.judge(check, policy.guardTimeoutMs);
  }

  public Future<Void> close() {
    return Future.all(clients.values().stream().map(GuardClient::close).toList()).mapEmpty();
  }
}
