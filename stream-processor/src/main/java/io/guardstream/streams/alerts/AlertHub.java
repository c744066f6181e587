package io.guardstream.streams.alerts;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

import io.guardstream.avro.Alert;

/** Fans alerts out to live subscribers (SSE connections), each with its own tenant filter. */
public final class AlertHub implements Consumer<Alert> {

    /** A live subscriber; {@code tenant} null receives every tenant's alerts. */
    public record Subscription(String tenant, Consumer<Alert> listener) {
    }

    private final Set<Subscription> subscriptions = new CopyOnWriteArraySet<>();

    public Subscription subscribe(String tenant, Consumer<Alert> listener) {
        Subscription s = new Subscription(tenant, listener);
        subscriptions.add(s);
        return s;
    }

    public void unsubscribe(Subscription subscription) {
        subscriptions.remove(subscription);
    }

    public int size() {
        return subscriptions.size();
    }

    @Override
    public void accept(Alert alert) {
        for (Subscription s : subscriptions) {
            if (s.tenant() == null || s.tenant().equals(alert.getTenantId())) {
                s.listener().accept(alert);
            }
        }
    }
}
