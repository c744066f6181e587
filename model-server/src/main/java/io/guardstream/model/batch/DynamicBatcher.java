package io.guardstream.model.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Groups items from many callers into batches for one model call and answers each caller individually.
 *
 * <p>A worker takes the first waiting item, drains whatever else is waiting, then polls for more within the rest of
 * {@code maxWait}, up to {@code maxBatch} items. The queue is bounded: when full, submissions fail at once with
 * {@link QueueFullException} instead of waiting. Processing runs on the batcher's own worker threads, never on the
 * caller's thread. The processor must return one output per input, in input order.
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {

    /** Worker lifecycle. */
    public enum State { NEW, RUNNING, STOPPING, STOPPED }

    /** Observes each processed batch (size and processing nanos), e.g. for metrics. */
    public interface Listener {
        void batch(int size, long nanos);
    }

    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

    private final String name;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Pending<I, O>> queue;
    private final int capacity;
    private final Function<List<I>, List<O>> processor;
    private final Listener listener;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

    private record Pending<I, O>(I item, CompletableFuture<O> result) {
    }

    public DynamicBatcher(String name, int maxBatch, Duration maxWait, int queueCapacity, int workerCount,
                          Function<List<I>, List<O>> processor, Listener listener) {
        if (maxBatch < 1 || queueCapacity < 1 || workerCount < 1) {
            throw new IllegalArgumentException("maxBatch, queueCapacity and workers must be positive");
        }
        this.name = name;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.capacity = queueCapacity;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
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

    public int queued() {
        return queue.size();
    }

    public int capacity() {
        return capacity;
    }

    /** Queues one item; the future fails with {@link QueueFullException} when there is no room. */
    public CompletableFuture<O> submit(I item) {
        return submitAll(List.of(item)).thenApply(l -> l.get(0));
    }

    /** Queues all items or none; the future completes with outputs in input order. */
    public CompletableFuture<List<O>> submitAll(List<I> items) {
        if (state.get() != State.RUNNING) {
            return CompletableFuture.failedFuture(new BatcherStoppedException(name + " is " + state.get()));
        }
        if (items.size() > capacity) {
            return CompletableFuture.failedFuture(new QueueFullException(
                    items.size() + " items exceed the queue capacity of " + capacity, 1));
        }
        List<CompletableFuture<O>> futures = new ArrayList<>(items.size());
        synchronized (queue) {
            if (queue.remainingCapacity() < items.size()) {
                return CompletableFuture.failedFuture(new QueueFullException(
                        name + " queue is full (" + capacity + " items)", 1));
            }
            for (I item : items) {
                CompletableFuture<O> f = new CompletableFuture<>();
                queue.add(new Pending<>(item, f));
                futures.add(f);
            }
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
    }

    private void work() {
        List<Pending<I, O>> batch = new ArrayList<>(maxBatch);
        while (state.get() == State.RUNNING) {
            try {
                Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                queue.drainTo(batch, maxBatch - batch.size());
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    Pending<I, O> next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    queue.drainTo(batch, maxBatch - batch.size());
                }
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
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
        for (Thread t : workers) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Pending<I, O>> left = new ArrayList<>();
        queue.drainTo(left);
        for (Pending<I, O> p : left) {
            p.result().completeExceptionally(new BatcherStoppedException(name + " stopped"));
        }
        state.set(State.STOPPED);
    }
}
