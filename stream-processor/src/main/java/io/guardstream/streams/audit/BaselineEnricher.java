package io.guardstream.streams.audit;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps each tenant's all-time totals and moving-average unsafe rate, and stamps events with the baseline before them. */
final class BaselineEnricher implements Processor<String, AuditEvent, String, AuditEvent> {

    private final double alpha;
    private ProcessorContext<String, AuditEvent> context;
    private KeyValueStore<String, TenantTotals> totals;

    BaselineEnricher(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public void init(ProcessorContext<String, AuditEvent> context) {
        this.context = context;
        this.totals = context.getStateStore(AuditTopology.TENANT_TOTALS_STORE);
    }

    @Override
    public void process(Record<String, AuditEvent> record) {
        AuditEvent event = record.value();
        TenantTotals before = totals.get(record.key());
        if (before == null) {
            before = TenantTotals.empty();
        }
        totals.put(record.key(), before.plus(event, alpha));
        context.forward(record.withValue(event.withBaseline(before.baselineRate(), before.total())));
    }
}
