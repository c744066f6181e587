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

import static org.assertj.core.api.Assertions.assertThat;
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
}
