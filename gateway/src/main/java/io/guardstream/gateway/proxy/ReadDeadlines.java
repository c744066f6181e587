package io.guardstream.gateway.proxy;

import io.vertx.core.Vertx;

/**
 * Upstream read timeouts of one event loop: how long an upstream may stay silent, before its answer's head and
 * between the chunks of its body. Vert.x's own request idle timeout stops at the response head, so a stream that
 * stalls halfway would hold the client forever; it also costs a scheduled timer per request. Here one periodic
 * sweep checks every watched exchange, and data costs a field write: silence is counted from the first sweep after
 * the last data, so a deadline never fires early and fires at most two ticks late, where the tick is a tenth of the
 * shortest timeout (10 ms to 1 s). Time the gateway itself holds the upstream paused (a slow client, a pending guard
 * verdict) is not silence. Not thread-safe: use it from its event loop only.
 */
final class ReadDeadlines {

  private static final long MIN_TICK_MS = 10;
  private static final long MAX_TICK_MS = 1000;

  private final Vertx vertx;
  private final long timerId;
  private Watch first;

  /** Starts the sweep on the calling context (the owning event loop). */
  ReadDeadlines(Vertx vertx, long shortestTimeoutMs) {
    this.vertx = vertx;
    long tick = shortestTimeoutMs <= 0 ? MAX_TICK_MS : Math.max(MIN_TICK_MS, Math.min(MAX_TICK_MS, shortestTimeoutMs / 10));
    this.timerId = vertx.setPeriodic(tick, id -> sweep());
  }

  /**
   * Watches one upstream call from now on; {@code onTimeout} runs once, on this event loop, if it falls silent.
   * A timeout of zero or less watches nothing (the returned watch never fires).
   */
  Watch watch(long timeoutMs, Runnable onTimeout) {
    Watch watch = new Watch(timeoutMs, onTimeout);
    if (timeoutMs <= 0) {
      watch.cancelled = true;
      return watch;
    }
    watch.sawData = true; // the first sweep stamps it
    watch.next = first;
    if (first != null) {
      first.prev = watch;
    }
    first = watch;
    return watch;
  }

  void close() {
    vertx.cancelTimer(timerId);
  }

  private void sweep() {
    long nowMs = monotonicMs();
    for (Watch watch = first; watch != null; ) {
      Watch next = watch.next;
      if (watch.cancelled) {
        // unlinked by an earlier timeout's action in this sweep
      } else if (watch.held || watch.sawData) {
        watch.sawData = false;
        watch.lastDataMs = nowMs;
      } else if (nowMs - watch.lastDataMs > watch.timeoutMs) { // ">": whole milliseconds, never early
        watch.cancel();
        watch.onTimeout.run();
      }
      watch = next;
    }
  }

  /** Milliseconds of a clock that a wall-clock step (NTP, a suspended VM) cannot move. */
  private static long monotonicMs() {
    return System.nanoTime() / 1_000_000;
  }

  /** One watched upstream call. */
  final class Watch {
    private final long timeoutMs;
    private final Runnable onTimeout;
    private long lastDataMs;
    private boolean sawData;
    private boolean held;
    private boolean cancelled;
    private Watch prev;
    private Watch next;

    private Watch(long timeoutMs, Runnable onTimeout) {
      this.timeoutMs = timeoutMs;
      this.onTimeout = onTimeout;
    }

    /** The upstream sent something. */
    void data() {
      sawData = true;
    }

    /** The gateway paused the upstream ({@code true}) or resumed it: silence while paused is not counted. */
    void held(boolean held) {
      this.held = held;
      sawData = true;
    }

    /** Done with this call (answered, failed or cancelled); idempotent. */
    void cancel() {
      if (cancelled) {
        return;
      }
      cancelled = true;
      if (prev != null) {
        prev.next = next;
      } else {
        first = next;
      }
      if (next != null) {
        next.prev = prev;
      }
      prev = null;
      next = null;
    }
  }
}
