package io.guardstream.streams.checks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.VerdictSource;
import io.guardstream.streams.guard.GuardClient;
import io.guardstream.streams.guard.GuardItem;
import io.guardstream.streams.guard.GuardItems;
import io.guardstream.streams.guard.GuardResult;
import io.guardstream.streams.guard.GuardUnavailableException;
import io.guardstream.streams.guard.VerdictFactory;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges checks in micro-batches per stream task. A check that arrives when the task has been idle for at least
 * {@code maxWait} is judged at once (no added latency at low load); while checks keep coming, they are buffered
 * and judged in one guard call when {@code maxRecords} are waiting or the oldest has waited {@code maxWait}
 * (wall clock). Every check gets exactly one verdict out: a decision, or an
 * error verdict when the guard is unavailable or the check's deadline has passed. Verdict ids derive from check
 * ids, so a redelivered check yields the same verdict id.
 */
final class GuardBatchProcessor implements Processor<String, GuardCheck, String, RoutedVerdict> {

    private static final Logger log = LoggerFactory.getLogger(GuardBatchProcessor.class);

    private final GuardClient guard;
    private final int maxRecords;
    private final Duration maxWait;
    private final Clock clock;
    private final List<Record<String, GuardCheck>> buffer = new ArrayList<>();
    private ProcessorContext<String, RoutedVerdict> context;
    private long oldestBufferedAt;
    private long lastFlushEnd;
    private Cancellable punctuator;

    GuardBatchProcessor(GuardClient guard, int maxRecords, Duration maxWait, Clock clock) {
        this.guard = guard;
        this.maxRecords = maxRecords;
        this.maxWait = maxWait;
        this.clock = clock;
    }

    static String verdictId(String checkId) {
        return "vf-" + checkId;
    }

    @Override
    public void init(ProcessorContext<String, RoutedVerdict> context) {
        this.context = context;
        this.lastFlushEnd = context.currentSystemTimeMs();
        Duration tick = maxWait.isZero() ? Duration.ofMillis(1) : maxWait;
        punctuator = context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, now -> {
            if (!buffer.isEmpty() && now - oldestBufferedAt >= maxWait.toMillis()) {
                flush();
            }
        });
    }

    @Override
    public void process(Record<String, GuardCheck> record) {
        if (record.value() == null) {
            return;
        }
        long now = context.currentSystemTimeMs();
        if (buffer.isEmpty()) {
            oldestBufferedAt = now;
        }
        buffer.add(record);
        boolean idle = buffer.size() == 1 && now - lastFlushEnd >= maxWait.toMillis();
        if (buffer.size() >= maxRecords || idle) {
            flush();
        }
    }

    void flush() {
        long startedAt = context.currentSystemTimeMs();
        long startedNanos = System.nanoTime();
        try {
            judgeBuffered();
        } finally {
            lastFlushEnd = startedAt + (System.nanoTime() - startedNanos) / 1_000_000;
        }
    }

    private void judgeBuffered() {
        List<Record<String, GuardCheck>> batch = new ArrayList<>(buffer);
        buffer.clear();
        Instant now = clock.instant();
        Map<String, Record<String, GuardCheck>> live = new LinkedHashMap<>();
        for (Record<String, GuardCheck> record : batch) {
            GuardCheck check = record.value();
            if (live.containsKey(check.getCheckId())) {
                continue;
            }
            Instant deadline = check.getDeadlineAt();
            if (deadline != null && now.isAfter(deadline)) {
                emit(record, VerdictFactory.error(subject(check), "deadline_exceeded: check expired before it was judged", 0.0, now));
            } else {
                live.put(check.getCheckId(), record);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        List<GuardItem> items = new ArrayList<>(live.size());
        live.forEach((id, record) -> items.add(GuardItems.item(id, record.value().getRequestMessages(), responseText(record.value()))));
        long started = System.nanoTime();
        Map<String, GuardResult> results = new HashMap<>();
        String error = null;
        try {
            for (GuardResult result : guard.judge(items)) {
                results.put(result.id(), result);
            }
        } catch (GuardUnavailableException e) {
            error = "guard_unavailable: " + e.reason() + ": " + e.getMessage();
            log.warn("Guard unavailable for a batch of {} checks: {}", items.size(), e.getMessage());
        }
        double elapsedMs = (System.nanoTime() - started) / 1e6;
        Instant done = clock.instant();
        for (Record<String, GuardCheck> record : live.values()) {
            GuardCheck check = record.value();
            GuardResult result = results.get(check.getCheckId());
            GuardVerdict verdict;
            if (result != null) {
                verdict = VerdictFactory.fromResult(subject(check), result, done);
            } else {
                verdict = VerdictFactory.error(subject(check),
                        error != null ? error : "guard_incomplete: no result for this check in the guard's answer", elapsedMs, done);
            }
            emit(record, verdict);
        }
    }

    private static String responseText(GuardCheck check) {
        return switch (check.getKind()) {
            case REQUEST -> null;
            case RESPONSE_WINDOW, RESPONSE_FINAL -> check.getResponseText() == null ? "" : check.getResponseText();
        };
    }

    private void emit(Record<String, GuardCheck> source, GuardVerdict verdict) {
        Integer partition = ReplyPartitions.of(source.headers(), source.value());
        context.forward(new Record<>(verdict.getExchangeId(), new RoutedVerdict(verdict, partition), source.timestamp(), source.headers()));
    }

    private static VerdictFactory.Subject subject(GuardCheck check) {
        return new VerdictFactory.Subject(verdictId(check.getCheckId()), check.getCheckId(), check.getExchangeId(),
                check.getTenantId(), check.getEndUserId(), VerdictSource.IN_FLIGHT, check.getKind(),
                check.getKind() == io.guardstream.avro.CheckKind.RESPONSE_WINDOW ? check.getWindowIndex() : null);
    }

    @Override
    public void close() {
        if (punctuator != null) {
            punctuator.cancel();
        }
        if (!buffer.isEmpty()) {
            log.info("Task closing with {} buffered checks; they will be redelivered to the next owner", buffer.size());
        }
    }
}
