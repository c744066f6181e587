package io.guardstream.streams.checks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.guardstream.avro.GuardCheck;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges checks in micro-batches shared by all tasks of a stream thread ({@link ThreadBatch}). A check that
 * arrives when the thread has not called the guard for {@code maxWait} is judged at once (no added latency at low
 * load); while checks keep coming they wait until {@code maxRecords} are pending or the oldest waited
 * {@code maxWait} (wall clock). Every check gets exactly one verdict out: a decision, or an error verdict when the
 * guard is unavailable or the check's deadline has passed. Verdict ids derive from check ids, so a redelivered
 * check yields the same verdict id.
 */
final class GuardBatchProcessor implements Processor<String, GuardCheck, String, RoutedVerdict> {

    private static final Logger log = LoggerFactory.getLogger(GuardBatchProcessor.class);
    private static final Duration TICK = Duration.ofMillis(1);

    private final ThreadLocal<ThreadBatch> batches;
    private final int maxRecords;
    private final long maxWaitMs;
    private final List<Record<String, RoutedVerdict>> ready = new ArrayList<>();
    private ProcessorContext<String, RoutedVerdict> context;
    private ThreadBatch batch;
    private Cancellable punctuator;

    GuardBatchProcessor(ThreadLocal<ThreadBatch> batches, int maxRecords, Duration maxWait) {
        this.batches = batches;
        this.maxRecords = maxRecords;
        this.maxWaitMs = maxWait.toMillis();
    }

    static String verdictId(String checkId) {
        return ThreadBatch.verdictId(checkId);
    }

    @Override
    public void init(ProcessorContext<String, RoutedVerdict> context) {
        this.context = context;
        this.batch = batches.get();
        batch.start(context.currentSystemTimeMs());
        punctuator = context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, now -> {
            if (batch.size() > 0 && now - batch.oldestAt() >= maxWaitMs) {
                batch.judgeAll(now);
            }
            forwardReady();
        });
    }

    @Override
    public void process(Record<String, GuardCheck> record) {
        if (record.value() == null) {
            return;
        }
        long now = context.currentSystemTimeMs();
        batch.add(this, record, now);
        boolean idle = batch.size() == 1 && now - batch.lastJudgedEnd() >= maxWaitMs;
        if (batch.size() >= maxRecords || idle) {
            batch.judgeAll(now);
        }
        forwardReady();
    }

    void ready(Record<String, RoutedVerdict> verdict) {
        ready.add(verdict);
    }

    private void forwardReady() {
        if (ready.isEmpty()) {
            return;
        }
        List<Record<String, RoutedVerdict>> out = new ArrayList<>(ready);
        ready.clear();
        out.forEach(context::forward);
    }

    @Override
    public void close() {
        if (punctuator != null) {
            punctuator.cancel();
        }
        if (!ready.isEmpty()) {
            log.info("Task closing with {} judged checks not yet forwarded; dropped (the gateway's timeout applies)", ready.size());
            ready.clear();
        }
        int before = batch.size();
        batch.drop(this);
        if (before != batch.size()) {
            log.info("Task closing with {} checks not yet judged; they are redelivered to the task's next owner", before - batch.size());
        }
    }
}
