package io.guardstream.streams.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.guardstream.avro.EnforcementAction;
import io.guardstream.avro.EnforcementRecord;
import io.guardstream.avro.Exchange;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.VerdictSource;
import io.guardstream.streams.guard.GuardClient;
import io.guardstream.guardapi.GuardItems;
import io.guardstream.guardapi.GuardResult;
import io.guardstream.guardapi.Priority;
import io.guardstream.streams.guard.GuardUnavailableException;
import io.guardstream.guardapi.VerdictFactory;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits each exchange once: links the verdicts produced in flight when all of them are known and decided,
 * else asks the guard about request and response together and emits that verdict. Exchanges seen before
 * (by id, within the retention) are skipped, so a republished exchange is neither judged nor counted twice.
 */
final class ExchangeAuditor implements Processor<String, Exchange, String, AuditTopology.AuditResult> {

    private static final Logger log = LoggerFactory.getLogger(ExchangeAuditor.class);

    private final GuardClient guard;
    private final double categoryScoreThreshold;
    private final Duration retention;
    private final Clock clock;
    private ProcessorContext<String, AuditTopology.AuditResult> context;
    private KeyValueStore<String, InFlightVerdicts> inflight;
    private KeyValueStore<String, Long> audited;

    ExchangeAuditor(GuardClient guard, double categoryScoreThreshold, Duration retention, Clock clock) {
        this.guard = guard;
        this.categoryScoreThreshold = categoryScoreThreshold;
        this.retention = retention;
        this.clock = clock;
    }

    static String verdictId(String exchangeId) {
        return "va-" + exchangeId;
    }

    @Override
    public void init(ProcessorContext<String, AuditTopology.AuditResult> context) {
        this.context = context;
        this.inflight = context.getStateStore(AuditTopology.INFLIGHT_STORE);
        this.audited = context.getStateStore(AuditTopology.AUDITED_STORE);
        context.schedule(InFlightVerdictCollector.cleanupInterval(retention), PunctuationType.STREAM_TIME, this::expire);
    }

    @Override
    public void process(Record<String, Exchange> record) {
        Exchange exchange = record.value();
        if (exchange == null) {
            return;
        }
        if (exchange.getTenantId() == null || exchange.getTenantId().isBlank()) {
            throw new IllegalArgumentException("Exchange " + exchange.getExchangeId() + " has no tenant id");
        }
        String exchangeId = exchange.getExchangeId();
        if (audited.get(exchangeId) != null) {
            log.debug("Exchange {} already audited; skipping the duplicate", exchangeId);
            return;
        }
        EnforcementRecord enforcement = exchange.getEnforcement();
        boolean blocked = enforcement != null && enforcement.getAction() == EnforcementAction.BLOCK;
        List<InFlightVerdicts.Summary> linked = linkedVerdicts(exchangeId, enforcement);
        AuditTopology.AuditResult result;
        if (linked != null) {
            result = new AuditTopology.AuditResult(fromLinked(exchange, record.timestamp(), blocked, linked), null);
        } else {
            result = judge(exchange, record.timestamp(), blocked);
        }
        audited.put(exchangeId, record.timestamp());
        inflight.delete(exchangeId);
        context.forward(record.withKey(exchangeId).withValue(result));
    }

    /** The in-flight verdicts named by the exchange, or null when any is missing or undecided. */
    private List<InFlightVerdicts.Summary> linkedVerdicts(String exchangeId, EnforcementRecord enforcement) {
        if (enforcement == null || enforcement.getVerdictIds().isEmpty()) {
            return null;
        }
        InFlightVerdicts known = inflight.get(exchangeId);
        if (known == null) {
            return null;
        }
        List<InFlightVerdicts.Summary> found = new ArrayList<>();
        for (String id : enforcement.getVerdictIds()) {
            InFlightVerdicts.Summary summary = known.verdicts().stream().filter(s -> s.verdictId().equals(id)).findFirst().orElse(null);
            if (summary == null || summary.error()) {
                return null;
            }
            found.add(summary);
        }
        return found;
    }

    private AuditEvent fromLinked(Exchange exchange, long timestamp, boolean blocked, List<InFlightVerdicts.Summary> verdicts) {
        boolean request = verdicts.stream().anyMatch(InFlightVerdicts.Summary::requestHarmful);
        boolean response = verdicts.stream().anyMatch(InFlightVerdicts.Summary::responseHarmful);
        boolean unsafe = request || response || blocked;
        TreeSet<String> categories = new TreeSet<>();
        if (unsafe) {
            verdicts.forEach(v -> categories.addAll(present(v.categories())));
        }
        return new AuditEvent(exchange.getExchangeId(), exchange.getTenantId(), exchange.getEndUserId(), timestamp,
                request, response, unsafe, blocked, false, true, List.copyOf(categories), 0.0, 0);
    }

    private AuditTopology.AuditResult judge(Exchange exchange, long timestamp, boolean blocked) {
        VerdictFactory.Subject subject = new VerdictFactory.Subject(verdictId(exchange.getExchangeId()), null,
                exchange.getExchangeId(), exchange.getTenantId(), exchange.getEndUserId(), VerdictSource.AUDIT, null, null);
        long started = System.nanoTime();
        try {
            List<GuardResult> results = guard.judge(List.of(GuardItems.item(exchange.getExchangeId(),
                    exchange.getRequestMessages(), exchange.getResponseText())), Priority.BACKGROUND);
            GuardResult result = results.stream().filter(r -> r.id().equals(exchange.getExchangeId())).findFirst()
                    .orElseThrow(() -> new GuardUnavailableException("bad_response", "no result for the exchange"));
            GuardVerdict verdict = VerdictFactory.fromResult(subject, result, clock.instant());
            boolean unsafe = result.requestHarmful() || result.responseHarmful() || blocked;
            List<String> categories = unsafe ? List.copyOf(new TreeSet<>(present(result.categories()))) : List.of();
            AuditEvent event = new AuditEvent(exchange.getExchangeId(), exchange.getTenantId(), exchange.getEndUserId(), timestamp,
                    result.requestHarmful(), result.responseHarmful(), unsafe, blocked, false, false, categories, 0.0, 0);
            return new AuditTopology.AuditResult(event, verdict);
        } catch (GuardUnavailableException e) {
            log.warn("Guard unavailable while auditing exchange {}: {}", exchange.getExchangeId(), e.getMessage());
            GuardVerdict verdict = VerdictFactory.error(subject, "guard_unavailable: " + e.reason() + ": " + e.getMessage(),
                    (System.nanoTime() - started) / 1e6, clock.instant());
            AuditEvent event = new AuditEvent(exchange.getExchangeId(), exchange.getTenantId(), exchange.getEndUserId(), timestamp,
                    false, false, blocked, blocked, true, false, List.of(), 0.0, 0);
            return new AuditTopology.AuditResult(event, verdict);
        }
    }

    private List<String> present(Map<String, Double> categories) {
        return categories.entrySet().stream().filter(e -> e.getValue() >= categoryScoreThreshold).map(Map.Entry::getKey).toList();
    }

    private void expire(long streamTime) {
        long cutoff = streamTime - retention.toMillis();
        try (KeyValueIterator<String, Long> all = audited.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (entry.value < cutoff) {
                    audited.delete(entry.key);
                }
            }
        }
    }
}
