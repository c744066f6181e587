package io.guardstream.streams.audit;

import java.time.Duration;

import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.VerdictSource;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** Remembers in-flight verdicts by exchange id until their exchange is audited or the retention passes. */
final class InFlightVerdictCollector implements Processor<String, GuardVerdict, Void, Void> {

    private final Duration retention;
    private KeyValueStore<String, InFlightVerdicts> store;

    InFlightVerdictCollector(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(AuditTopology.INFLIGHT_STORE);
        context.schedule(cleanupInterval(retention), PunctuationType.STREAM_TIME, this::expire);
    }

    static Duration cleanupInterval(Duration retention) {
        return retention.dividedBy(6).isZero() ? Duration.ofSeconds(1) : retention.dividedBy(6);
    }

    @Override
    public void process(Record<String, GuardVerdict> record) {
        GuardVerdict verdict = record.value();
        if (verdict == null || verdict.getSource() != VerdictSource.IN_FLIGHT) {
            return;
        }
        String exchangeId = verdict.getExchangeId();
        InFlightVerdicts known = store.get(exchangeId);
        InFlightVerdicts base = known == null ? new InFlightVerdicts(null, 0) : known;
        store.put(exchangeId, base.plus(verdict, record.timestamp()));
    }

    private void expire(long streamTime) {
        long cutoff = streamTime - retention.toMillis();
        try (KeyValueIterator<String, InFlightVerdicts> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, InFlightVerdicts> entry = all.next();
                if (entry.value.lastSeen() < cutoff) {
                    store.delete(entry.key);
                }
            }
        }
    }
}
