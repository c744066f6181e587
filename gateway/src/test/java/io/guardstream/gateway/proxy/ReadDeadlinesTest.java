package io.guardstream.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReadDeadlinesTest {

  private static final long TIMEOUT_MS = 200; // tick 20 ms

  private Vertx vertx;
  private Context loop;
  private ReadDeadlines deadlines;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
    deadlines = onLoop(() -> new ReadDeadlines(vertx, TIMEOUT_MS));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aSilentCallTimesOutOnceAfterItsTimeout() throws Exception {
    AtomicInteger fired = new AtomicInteger();
    AtomicLong firedAt = new AtomicLong();
    long t0 = System.nanoTime();
    onLoop(() -> deadlines.watch(TIMEOUT_MS, () -> {
      firedAt.set(System.nanoTime());
      fired.incrementAndGet();
    }));
    Thread.sleep(3 * TIMEOUT_MS);
    assertThat(fired).hasValue(1);
    assertThat(TimeUnit.NANOSECONDS.toMillis(firedAt.get() - t0)).isBetween(TIMEOUT_MS, 2 * TIMEOUT_MS);
  }

  @Test
  void dataKeepsACallAliveAndItsLastDataStartsTheCount() throws Exception {
    AtomicInteger fired = new AtomicInteger();
    ReadDeadlines.Watch watch = onLoop(() -> deadlines.watch(TIMEOUT_MS, fired::incrementAndGet));
    for (int i = 0; i < 12; i++) { // 600 ms of data every 50 ms
      Thread.sleep(50);
      run(ReadDeadlines.Watch::data, watch);
    }
    assertThat(fired).hasValue(0);
    Thread.sleep(3 * TIMEOUT_MS);
    assertThat(fired).hasValue(1);
  }

  @Test
  void timeHeldPausedIsNotSilence() throws Exception {
    AtomicInteger fired = new AtomicInteger();
    ReadDeadlines.Watch watch = onLoop(() -> deadlines.watch(TIMEOUT_MS, fired::incrementAndGet));
    run(w -> w.held(true), watch);
    Thread.sleep(3 * TIMEOUT_MS);
    assertThat(fired).hasValue(0);
    run(w -> w.held(false), watch);
    Thread.sleep(3 * TIMEOUT_MS);
    assertThat(fired).hasValue(1);
  }

  @Test
  void cancelledCallsAndCallsWithoutATimeoutNeverFire() throws Exception {
    AtomicInteger fired = new AtomicInteger();
    ReadDeadlines.Watch first = onLoop(() -> deadlines.watch(TIMEOUT_MS, fired::incrementAndGet));
    ReadDeadlines.Watch middle = onLoop(() -> deadlines.watch(TIMEOUT_MS, fired::incrementAndGet));
    onLoop(() -> deadlines.watch(TIMEOUT_MS, () -> fired.addAndGet(100)));
    onLoop(() -> deadlines.watch(0, fired::incrementAndGet));
    run(ReadDeadlines.Watch::cancel, middle);
    run(ReadDeadlines.Watch::cancel, first);
    run(ReadDeadlines.Watch::cancel, first);
    Thread.sleep(3 * TIMEOUT_MS);
    assertThat(fired).as("only the one left watched fired").hasValue(100);
  }

  private <T> T onLoop(java.util.concurrent.Callable<T> action) throws Exception {
    return OnLoop.call(loop, action);
  }

  private void run(Consumer<ReadDeadlines.Watch> action, ReadDeadlines.Watch watch) throws Exception {
    onLoop(() -> {
      action.accept(watch);
      return null;
    });
  }
}
