package io.guardstream.gateway.metrics;

/** One event loop's connections to one upstream, read by the gauges from another thread. */
public interface ConnectionCounts {

  /** Open now, idle or busy. */
  int open();

  /** Open and idle now. */
  int idle();

  /** Requests waiting for a connection now. */
  int waiting();
}
