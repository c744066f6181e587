package io.guardstream.model.batch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DynamicBatcherTest {

    @Test
    void shouldAnswerEveryCallerWithItsOwnResultUnderConcurrentLoad() throws Exception {
        List<Integer> sizes = java.util.Collections.synchronizedList(new ArrayList<>());
        try (DynamicBatcher<Integer, String> b = new DynamicBatcher<Integer, String>("test", 16, Duration.ofMillis(2), 10_000, 2,
                in -> {
                    sizes.add(in.size());
                    return in.stream().map(i -> "r" + i).toList();
                }, null).start()) {
            ExecutorService callers = Executors.newFixedThreadPool(8);
            List<CompletableFuture<List<String>>> futures = new ArrayList<>();
            for (int c = 0; c < 200; c++) {
                int base = c * 10;
                futures.add(CompletableFuture.supplyAsync(() -> List.of(base, base + 1, base + 2), callers)
                        .thenCompose(b::submitAll));
            }
            for (int c = 0; c < 200; c++) {
                int base = c * 10;
                assertThat(futures.get(c).get(10, TimeUnit.SECONDS)).containsExactly("r" + base, "r" + (base + 1), "r" + (base + 2));
            }
            callers.shutdown();
        }
        assertThat(sizes).allSatisfy(s -> assertThat(s).isBetween(1, 16));
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(600);
        assertThat(sizes.stream().anyMatch(s -> s > 1)).as("requests were batched").isTrue();
    }

    @Test
    void shouldRefuseWorkWhenTheQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<Integer, Integer>("full", 1, Duration.ZERO, 2, 1, in -> {
            started.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return in;
        }, null).start()) {
            CompletableFuture<Integer> running = b.submit(1);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> started.get() == 1);
            CompletableFuture<Integer> q1 = b.submit(2);
            CompletableFuture<Integer> q2 = b.submit(3);
            CompletableFuture<Integer> rejected = b.submit(4);
            assertThatThrownBy(rejected::join).hasCauseInstanceOf(QueueFullException.class);
            assertThatThrownBy(() -> b.submitAll(List.of(5, 6, 7)).join()).hasCauseInstanceOf(QueueFullException.class);
            release.countDown();
            assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(q1.get(5, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(q2.get(5, TimeUnit.SECONDS)).isEqualTo(3);
        }
    }

    @Test
    void shouldFailTheBatchWhenTheProcessorFails() {
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<Integer, Integer>("boom", 4, Duration.ofMillis(1), 8, 1, in -> {
            throw new IllegalStateException("boom");
        }, null).start()) {
            assertThatThrownBy(() -> b.submit(1).join()).hasCauseInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldRejectSubmissionsAfterClose() {
        DynamicBatcher<Integer, Integer> b = new DynamicBatcher<Integer, Integer>("closed", 4, Duration.ofMillis(1), 8, 1, in -> in, null).start();
        b.close();
        assertThat(b.state()).isEqualTo(DynamicBatcher.State.STOPPED);
        assertThatThrownBy(() -> b.submit(1).join()).hasCauseInstanceOf(BatcherStoppedException.class);
    }

    /** Records every batch and holds the first one until {@link #release} counts down. */
    private static final class GatedProcessor implements Function<List<String>, List<String>> {
        final List<List<String>> batches = java.util.Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger started = new AtomicInteger();

        @Override
        public List<String> apply(List<String> in) {
            batches.add(List.copyOf(in));
            if (started.getAndIncrement() == 0) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return in.stream().map(i -> "r-" + i).toList();
        }

        void awaitFirstBatch() {
            await().atMost(Duration.ofSeconds(5)).until(() -> started.get() == 1);
        }
    }

    private static DynamicBatcher<String, String> lanes(int maxBatch, int interactiveCapacity, int backgroundMaxBatch,
                                                        int backgroundCapacity, Duration maxWait, int workers,
                                                        Function<List<String>, List<String>> processor) {
        return lanes(maxBatch, interactiveCapacity, backgroundMaxBatch, backgroundCapacity, maxWait, workers, workers,
                processor);
    }

    private static DynamicBatcher<String, String> lanes(int maxBatch, int interactiveCapacity, int backgroundMaxBatch,
                                                        int backgroundCapacity, Duration maxWait, int workers,
                                                        int backgroundWorkers,
                                                        Function<List<String>, List<String>> processor) {
        return new DynamicBatcher<String, String>("lanes", new DynamicBatcher.LaneLimits(maxBatch, interactiveCapacity),
                new DynamicBatcher.LaneLimits(backgroundMaxBatch, backgroundCapacity), maxWait, workers,
                backgroundWorkers, processor, null).start();
    }

    @Test
    void shouldServeWaitingInteractiveItemsBeforeQueuedBackgroundItems() throws Exception {
        GatedProcessor p = new GatedProcessor();
        try (DynamicBatcher<String, String> b = lanes(8, 100, 2, 100, Duration.ZERO, 1, p)) {
            CompletableFuture<String> running = b.submit("b0", Lane.BACKGROUND);
            p.awaitFirstBatch();
            CompletableFuture<List<String>> background = b.submitAll(List.of("b1", "b2", "b3", "b4", "b5"), Lane.BACKGROUND);
            CompletableFuture<List<String>> interactive = b.submitAll(List.of("i1", "i2", "i3"));
            assertThat(b.queued(Lane.BACKGROUND)).isEqualTo(5);
            assertThat(b.queued(Lane.INTERACTIVE)).isEqualTo(3);
            p.release.countDown();
            assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("r-b0");
            assertThat(interactive.get(5, TimeUnit.SECONDS)).containsExactly("r-i1", "r-i2", "r-i3");
            assertThat(background.get(5, TimeUnit.SECONDS)).containsExactly("r-b1", "r-b2", "r-b3", "r-b4", "r-b5");
        }
        assertThat(p.batches).containsExactly(List.of("b0"), List.of("i1", "i2", "i3"), List.of("b1", "b2"),
                List.of("b3", "b4"), List.of("b5"));
    }

    @Test
    void shouldAnswerInteractiveWorkWhileTheOnlyBackgroundWorkerIsBusy() throws Exception {
        GatedProcessor p = new GatedProcessor();
        try (DynamicBatcher<String, String> b = lanes(8, 100, 1, 100, Duration.ZERO, 2, 1, p)) {
            CompletableFuture<String> stuck = b.submit("b0", Lane.BACKGROUND);
            p.awaitFirstBatch();
            CompletableFuture<String> waiting = b.submit("b1", Lane.BACKGROUND);

            assertThat(b.submit("i1").get(5, TimeUnit.SECONDS)).isEqualTo("r-i1");
            // the free worker answers interactive work but leaves b1 for the background slot
            Thread.sleep(200);
            assertThat(waiting).isNotDone();
            assertThat(b.queued(Lane.BACKGROUND)).isEqualTo(1);

            p.release.countDown();
            assertThat(stuck.get(5, TimeUnit.SECONDS)).isEqualTo("r-b0");
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("r-b1");
        }
        assertThat(p.batches).containsExactly(List.of("b0"), List.of("i1"), List.of("b1"));
    }

    @Test
    void shouldRunBackgroundBatchesOnEveryWorkerUnlessReserved() throws Exception {
        GatedProcessor p = new GatedProcessor();
        try (DynamicBatcher<String, String> b = lanes(8, 100, 1, 100, Duration.ZERO, 2, p)) {
            CompletableFuture<String> stuck = b.submit("b0", Lane.BACKGROUND);
            p.awaitFirstBatch();
            assertThat(b.submit("b1", Lane.BACKGROUND).get(5, TimeUnit.SECONDS)).isEqualTo("r-b1");
            p.release.countDown();
            assertThat(stuck.get(5, TimeUnit.SECONDS)).isEqualTo("r-b0");
        }
    }

    @Test
    void shouldNeverRunABackgroundBatchLargerThanItsCap() throws Exception {
        GatedProcessor p = new GatedProcessor();
        try (DynamicBatcher<String, String> b = lanes(32, 100, 3, 100, Duration.ofMillis(50), 1, p)) {
            CompletableFuture<String> running = b.submit("first", Lane.BACKGROUND);
            p.awaitFirstBatch();
            List<String> queued = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                queued.add("b" + i);
            }
            CompletableFuture<List<String>> all = b.submitAll(queued, Lane.BACKGROUND);
            p.release.countDown();
            running.get(5, TimeUnit.SECONDS);
            assertThat(all.get(5, TimeUnit.SECONDS)).hasSize(20);
        }
        assertThat(p.batches).hasSize(1 + 7).allSatisfy(batch -> assertThat(batch).hasSizeBetween(1, 3));
    }

    @Test
    void shouldEnforceEachLanesOwnCapacity() throws Exception {
        GatedProcessor p = new GatedProcessor();
        try (DynamicBatcher<String, String> b = lanes(1, 2, 1, 3, Duration.ZERO, 1, p)) {
            CompletableFuture<String> running = b.submit("i0");
            p.awaitFirstBatch();
            CompletableFuture<List<String>> interactive = b.submitAll(List.of("i1", "i2"));
            assertThatThrownBy(() -> b.submit("i3").join()).hasCauseInstanceOf(QueueFullException.class);
            assertThatThrownBy(() -> b.submitAll(List.of("b1", "b2", "b3", "b4"), Lane.BACKGROUND).join())
                    .hasCauseInstanceOf(QueueFullException.class);
            CompletableFuture<List<String>> background = b.submitAll(List.of("b1", "b2", "b3"), Lane.BACKGROUND);
            assertThatThrownBy(() -> b.submit("b4", Lane.BACKGROUND).join()).hasCauseInstanceOf(QueueFullException.class);
            assertThatThrownBy(() -> b.submit("i4").join()).hasCauseInstanceOf(QueueFullException.class);
            assertThat(b.capacity(Lane.INTERACTIVE)).isEqualTo(2);
            assertThat(b.capacity(Lane.BACKGROUND)).isEqualTo(3);
            p.release.countDown();
            assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("r-i0");
            assertThat(interactive.get(5, TimeUnit.SECONDS)).containsExactly("r-i1", "r-i2");
            assertThat(background.get(5, TimeUnit.SECONDS)).containsExactly("r-b1", "r-b2", "r-b3");
        }
    }

    @Test
    void shouldAnswerEveryCallerInOrderUnderConcurrentLoadOnBothLanes() throws Exception {
        List<List<String>> batches = java.util.Collections.synchronizedList(new ArrayList<>());
        int calls = 300;
        try (DynamicBatcher<String, String> b = lanes(16, 10_000, 4, 10_000, Duration.ofMillis(2), 2, in -> {
            batches.add(List.copyOf(in));
            return in.stream().map(i -> "r-" + i).toList();
        })) {
            ExecutorService callers = Executors.newFixedThreadPool(8);
            List<CompletableFuture<List<String>>> futures = new ArrayList<>();
            for (int c = 0; c < calls; c++) {
                Lane lane = c % 3 == 0 ? Lane.BACKGROUND : Lane.INTERACTIVE;
                String prefix = lane == Lane.BACKGROUND ? "b" : "i";
                List<String> items = List.of(prefix + c + ".0", prefix + c + ".1", prefix + c + ".2");
                futures.add(CompletableFuture.supplyAsync(() -> items, callers).thenCompose(in -> b.submitAll(in, lane)));
            }
            for (int c = 0; c < calls; c++) {
                String prefix = c % 3 == 0 ? "b" : "i";
                assertThat(futures.get(c).get(10, TimeUnit.SECONDS))
                        .containsExactly("r-" + prefix + c + ".0", "r-" + prefix + c + ".1", "r-" + prefix + c + ".2");
            }
            callers.shutdown();
        }
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(calls * 3);
        assertThat(batches).allSatisfy(batch -> {
            boolean background = batch.get(0).startsWith("b");
            assertThat(batch).as("a batch never mixes lanes").allMatch(i -> i.startsWith(background ? "b" : "i"));
            assertThat(batch.size()).isLessThanOrEqualTo(background ? 4 : 16);
        });
    }
}
