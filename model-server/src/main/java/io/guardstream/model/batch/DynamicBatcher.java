package io.guardstream.model.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Groups items from many callers into batches for one model call and answers each caller individually.
 *
 * <p>Items wait in one of two bounded {@link Lane}s. A worker serves the interactive lane whenever an item waits
 * there: it takes what waits, then waits for more within {@code maxWait}, up to the lane's {@code maxBatch}. Only
 * when no interactive item waits does it take background items, up to the background lane's (small)
 * {@code maxBatch}, and it gives up gathering them as soon as an interactive item arrives. A batch never mixes
 * lanes, and at most {@code backgroundWorkers} workers run background batches at once: with more workers than
 * that, interactive work never waits for a background batch (a background batch with reasoning can take hundreds
 * of milliseconds); with one worker it waits for at most one small background batch. Each lane keeps
 * arrival order. When a lane is full, submissions fail at once with {@link QueueFullException} instead of waiting.
 * Processing runs on the batcher's own worker threads, never on the caller's thread. The processor must return one
 * output per input, in input order.
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {

    /** Worker lifecycle. */
    public enum State { NEW, RUNNING, STOPPING, STOPPED }

    /** Observes each processed batch (size and processing nanos), e.g. for metrics. */
    public interface Listener {
        void batch(int size, long nanos);
    }

    /** Bounds of one lane: at most {@code maxBatch} of its items per batch and {@code capacity} waiting. */
    public record LaneLimits(int maxBatch, int capacity) {
        public LaneLimits {
            if (maxBatch < 1 || capacity < 1) {
                throw new IllegalArgumentException("maxBatch and capacity must be positive");
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String name;
    private final long maxWaitNanos;
    private final LaneQueue<I, O> interactive;
    private final LaneQueue<I, O> background;
    private final int backgroundWorkers;
    private final Function<List<I>, List<O>> processor;
    private final Listener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    /** Workers running (or gathering) a background batch; guarded by {@link #lock}. */
    private int backgroundRunning;

    private record Pending<I, O>(I item, CompletableFuture<O> result) {
    }

    private record LaneQueue<I, O>(LaneLimits limits, ArrayDeque<Pending<I, O>> items) {
    }

    /** A batcher whose two lanes have the same bounds. */
    public DynamicBatcher(String name, int maxBatch, Duration maxWait, int queueCapacity, int workerCount,
                          Function<List<I>, List<O>> processor, Listener listener) {
        this(name, new LaneLimits(maxBatch, queueCapacity), new LaneLimits(maxBatch, queueCapacity), maxWait,
                workerCount, processor, listener);
    }

    /** A batcher whose background batches may run on every worker. */
    public DynamicBatcher(String name, LaneLimits interactive, LaneLimits background, Duration maxWait,
                          int workerCount, Function<List<I>, List<O>> processor, Listener listener) {
        this(name, interactive, background, maxWait, workerCount, workerCount, processor, listener);
    }

    /** {@code backgroundWorkers}: how many of the {@code workerCount} workers may run background batches at once. */
    public DynamicBatcher(String name, LaneLimits interactive, LaneLimits background, Duration maxWait,
                          int workerCount, int backgroundWorkers, Function<List<I>, List<O>> processor,
                          Listener listener) {
        if (workerCount < 1 || backgroundWorkers < 1) {
            throw new IllegalArgumentException("workers and background workers must be positive");
        }
        this.backgroundWorkers = Math.min(backgroundWorkers, workerCount);
        this.name = name;
        this.maxWaitNanos = maxWait.toNanos();
        this.interactive = new LaneQueue<>(interactive, new ArrayDeque<>());
        this.background = new LaneQueue<>(background, new ArrayDeque<>());
        this.processor = processor;
        this.listener = listener == null ? (s, n) -> { } : listener;
        for (int i = 0; i < workerCount; i++) {
            Thread t = new Thread(this::work, name + "-worker-" + i);
            t.setDaemon(true);
            workers.add(t);
        }
    }

    public DynamicBatcher<I, O> start() {
        if (state.compareAndSet(State.NEW, State.RUNNING)) {
            workers.forEach(Thread::start);
        }
        return this;
    }

    public State state() {
        return state.get();
    }

    /** Items waiting in both lanes. */
    public int queued() {
        lock.lock();
        try {
            return interactive.items().size() + background.items().size();
        } finally {
            lock.unlock();
        }
    }

    public int queued(Lane lane) {
        lock.lock();
        try {
            return queue(lane).items().size();
        } finally {
            lock.unlock();
        }
    }

    public int capacity(Lane lane) {
        return queue(lane).limits().capacity();
    }

    /** Queues one interactive item; the future fails with {@link QueueFullException} when there is no room. */
    public CompletableFuture<O> submit(I item) {
        return submit(item, Lane.INTERACTIVE);
    }

    public CompletableFuture<O> submit(I item, Lane lane) {
        return submitAll(List.of(item), lane).thenApply(l -> l.get(0));
    }

    /** Queues all items in the interactive lane or none; the future completes with outputs in input order. */
    public CompletableFuture<List<O>> submitAll(List<I> items) {
        return submitAll(items, Lane.INTERACTIVE);
    }

    /** Queues all items in {@code lane} or none; the future completes with outputs in input order. */
    public CompletableFuture<List<O>> submitAll(List<I> items, Lane lane) {
        LaneQueue<I, O> q = queue(lane);
        int capacity = q.limits().capacity();
        if (items.size() > capacity) {
            return CompletableFuture.failedFuture(new QueueFullException(
                    items.size() + " items exceed the " + lane.wireName() + " queue capacity of " + capacity, 1));
        }
        List<CompletableFuture<O>> futures = new ArrayList<>(items.size());
        lock.lock();
        try {
            if (state.get() != State.RUNNING) {
                return CompletableFuture.failedFuture(new BatcherStoppedException(name + " is " + state.get()));
            }
            if (capacity - q.items().size() < items.size()) {
                return CompletableFuture.failedFuture(new QueueFullException(
                        name + " " + lane.wireName() + " queue is full (" + capacity + " items)", 1));
            }
            for (I item : items) {
                CompletableFuture<O> f = new CompletableFuture<>();
                q.items().add(new Pending<>(item, f));
                futures.add(f);
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
    }

    private LaneQueue<I, O> queue(Lane lane) {
        return lane == Lane.INTERACTIVE ? interactive : background;
    }

    private void work() {
        List<Pending<I, O>> batch = new ArrayList<>();
        while (state.get() == State.RUNNING) {
            Lane lane = null;
            try {
                lane = take(batch);
                if (lane != null && !batch.isEmpty()) {
                    run(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
                if (lane == Lane.BACKGROUND) {
                    releaseBackgroundSlot();
                }
            }
        }
    }

    /**
     * Moves the next batch into {@code batch}: interactive items when any wait, else background ones while a
     * background slot is free (the slot is then held by the caller until it calls {@link #releaseBackgroundSlot}).
     * Returns the batch's lane, or null when there is nothing to run yet (idle, stopping).
     */
    private Lane take(List<Pending<I, O>> batch) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long idle = IDLE_WAIT_NANOS;
            while (interactive.items().isEmpty()
                    && (background.items().isEmpty() || backgroundRunning >= backgroundWorkers)) {
                if (idle <= 0 || state.get() != State.RUNNING) {
                    return null;
                }
                idle = arrived.awaitNanos(idle);
            }
            boolean fromBackground = interactive.items().isEmpty();
            LaneQueue<I, O> q = fromBackground ? background : interactive;
            if (fromBackground) {
                backgroundRunning++;
            }
            int max = q.limits().maxBatch();
            long left = maxWaitNanos;
            while (q.items().size() < max && left > 0 && state.get() == State.RUNNING) {
                try {
                    left = arrived.awaitNanos(left);
                } catch (InterruptedException e) {
                    if (fromBackground) {
                        backgroundRunning--;
                    }
                    throw e;
                }
                if (fromBackground && !interactive.items().isEmpty()) {
                    // the slot is released by work(); the interactive item goes first
                    return Lane.BACKGROUND;
                }
            }
            for (int i = 0; i < max && !q.items().isEmpty(); i++) {
                batch.add(q.items().poll());
            }
            return fromBackground ? Lane.BACKGROUND : Lane.INTERACTIVE;
        } finally {
            lock.unlock();
        }
    }

    private void releaseBackgroundSlot() {
        lock.lock();
        try {
            backgroundRunning--;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run(List<Pending<I, O>> batch) {
        List<I> inputs = new ArrayList<>(batch.size());
        for (Pending<I, O> p : batch) {
            inputs.add(p.item());
        }
        long t0 = System.nanoTime();
        try {
            List<O> outputs = processor.apply(inputs);
            if (outputs.size() != inputs.size()) {
                throw new IllegalStateException("processor returned " + outputs.size() + " outputs for "
                        + inputs.size() + " inputs");
            }
            listener.batch(inputs.size(), System.nanoTime() - t0);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(outputs.get(i));
            }
        } catch (RuntimeException | Error e) {
            LOG.warn("{} batch of {} failed", name, batch.size(), e);
            for (Pending<I, O> p : batch) {
                p.result().completeExceptionally(e);
            }
        }
    }

    /** Stops the workers after their current batch and fails whatever is still queued. */
    @Override
    public void close() {
        if (state.getAndSet(State.STOPPING) == State.STOPPED) {
            state.set(State.STOPPED);
            return;
        }
        lock.lock();
        try {
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread t : workers) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Pending<I, O>> left = new ArrayList<>();
        lock.lock();
        try {
            left.addAll(interactive.items());
            left.addAll(background.items());
            interactive.items().clear();
            background.items().clear();
        } finally {
            lock.unlock();
        }
        for (Pending<I, O> p : left) {
            p.result().completeExceptionally(new BatcherStoppedException(name + " stopped"));
        }
        state.set(State.STOPPED);
    }
}
