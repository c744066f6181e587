package io.guardstream.streams.audit;

import java.time.Duration;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Lets an alert fire once per window: after an alert for a subject (kind, tenant, user or category) fired for a
 * window, the same subject stays quiet for every window that starts before that window's end. With hopping
 * windows this means one alert for one burst, not one per overlapping window.
 */
final class AlertDeduper {

    private final KeyValueStore<String, Long> firedUntil;
    private final Duration retention;

    AlertDeduper(ProcessingContext context, String storeName, Duration retention) {
        this.firedUntil = context.getStateStore(storeName);
        this.retention = retention;
    }

    void scheduleCleanup(org.apache.kafka.streams.processor.api.ProcessorContext<?, ?> context) {
        context.schedule(InFlightVerdictCollector.cleanupInterval(retention), PunctuationType.STREAM_TIME, this::expire);
    }

    /** True, and remembered, when the subject has not fired for a window overlapping this one. */
    boolean tryFire(String subject, long windowStart, long windowEnd) {
        Long until = firedUntil.get(subject);
        if (until != null && windowStart < until) {
            return false;
        }
        firedUntil.put(subject, windowEnd);
        return true;
    }

    private void expire(long streamTime) {
        long cutoff = streamTime - retention.toMillis();
        try (KeyValueIterator<String, Long> all = firedUntil.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (entry.value < cutoff) {
                    firedUntil.delete(entry.key);
                }
            }
        }
    }
}
