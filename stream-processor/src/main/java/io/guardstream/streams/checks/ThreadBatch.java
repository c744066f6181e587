package io.guardstream.streams.checks;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.guardstream.avro.CheckKind;
import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.VerdictSource;
import io.guardstream.streams.guard.GuardClient;
import io.guardstream.guardapi.GuardItem;
import io.guardstream.guardapi.GuardItems;
import io.guardstream.guardapi.GuardResult;
import io.guardstream.guardapi.Priority;
import io.guardstream.streams.guard.GuardUnavailableException;
import io.guardstream.guardapi.VerdictFactory;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks waiting for the guard on one stream thread, across all of its tasks, so one guard call serves every
 * partition the thread owns. Only its own thread touches it. Judged verdicts go back to the owning task's
 * processor, which forwards them from its own context.
 */
final class ThreadBatch {

    private static final Logger log = LoggerFactory.getLogger(ThreadBatch.class);

    private record Pending(GuardBatchProcessor owner, Record<String, GuardCheck> record) {
    }

    private final GuardClient guard;
    private final Clock clock;
    private final List<Pending> pending = new ArrayList<>();
    private long oldestAt;
    private long lastJudgedEnd;
    private boolean started;

    ThreadBatch(GuardClient guard, Clock clock) {
        this.guard = guard;
        this.clock = clock;
    }

    void start(long now) {
        if (!started) {
            started = true;
            lastJudgedEnd = now;
        }
    }

    void add(GuardBatchProcessor owner, Record<String, GuardCheck> record, long now) {
        if (pending.isEmpty()) {
            oldestAt = now;
        }
        pending.add(new Pending(owner, record));
    }

    int size() {
        return pending.size();
    }

    long oldestAt() {
        return oldestAt;
    }

    long lastJudgedEnd() {
        return lastJudgedEnd;
    }

    /** Forgets the checks of a task that is closing; the task's next owner gets them again. */
    void drop(GuardBatchProcessor owner) {
        pending.removeIf(p -> p.owner() == owner);
    }

    /** Judges every waiting check in one guard call and hands each task its verdicts. */
    void judgeAll(long now) {
        long startedNanos = System.nanoTime();
        try {
            judge();
        } finally {
            lastJudgedEnd = now + (System.nanoTime() - startedNanos) / 1_000_000;
        }
    }

    private void judge() {
        List<Pending> batch = new ArrayList<>(pending);
        pending.clear();
        Instant now = clock.instant();
        Map<String, Pending> live = new LinkedHashMap<>();
        for (Pending p : batch) {
            GuardCheck check = p.record().value();
            if (live.containsKey(check.getCheckId())) {
                continue;
            }
            Instant deadline = check.getDeadlineAt();
            if (deadline != null && now.isAfter(deadline)) {
                deliver(p, VerdictFactory.error(subject(check), "deadline_exceeded: check expired before it was judged", 0.0, now));
            } else {
                live.put(check.getCheckId(), p);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        List<GuardItem> items = new ArrayList<>(live.size());
        live.forEach((id, p) -> items.add(GuardItems.item(id, p.record().value().getRequestMessages(),
                responseText(p.record().value()), p.record().value().getReasoning())));
        long started = System.nanoTime();
        Map<String, GuardResult> results = new HashMap<>();
        String error = null;
        try {
            for (GuardResult result : guard.judge(items, Priority.INTERACTIVE)) {
                results.put(result.id(), result);
            }
        } catch (GuardUnavailableException e) {
            error = "guard_unavailable: " + e.reason() + ": " + e.getMessage();
            log.warn("Guard unavailable for a batch of {} checks: {}", items.size(), e.getMessage());
        }
        double elapsedMs = (System.nanoTime() - started) / 1e6;
        Instant done = clock.instant();
        for (Pending p : live.values()) {
            GuardCheck check = p.record().value();
            GuardResult result = results.get(check.getCheckId());
            deliver(p, result != null
                    ? VerdictFactory.fromResult(subject(check), result, done)
                    : VerdictFactory.error(subject(check),
                            error != null ? error : "guard_incomplete: no result for this check in the guard's answer", elapsedMs, done));
        }
    }

    private static void deliver(Pending p, GuardVerdict verdict) {
        Record<String, GuardCheck> source = p.record();
        Integer partition = ReplyPartitions.of(source.headers(), source.value());
        p.owner().ready(new Record<>(verdict.getExchangeId(), new RoutedVerdict(verdict, partition), source.timestamp(), source.headers()));
    }

    private static String responseText(GuardCheck check) {
        return switch (check.getKind()) {
            case REQUEST -> null;
            case RESPONSE_WINDOW, RESPONSE_FINAL -> check.getResponseText() == null ? "" : check.getResponseText();
        };
    }

    static String verdictId(String checkId) {
        return "vf-" + checkId;
    }

    private static VerdictFactory.Subject subject(GuardCheck check) {
        return new VerdictFactory.Subject(verdictId(check.getCheckId()), check.getCheckId(), check.getExchangeId(),
                check.getTenantId(), check.getEndUserId(), VerdictSource.IN_FLIGHT, check.getKind(),
                check.getKind() == CheckKind.RESPONSE_WINDOW ? check.getWindowIndex() : null);
    }
}
