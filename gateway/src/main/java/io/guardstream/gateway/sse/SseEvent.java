package io.guardstream.gateway.sse;

import io.vertx.core.buffer.Buffer;

/**
 * One SSE event: its raw bytes (lines and terminating blank line, LF line ends) and the joined
 * {@code data} value (null for comment-only events such as heartbeats).
 */
public record SseEvent(Buffer raw, String data) {

  public boolean isDone() {
    return "[DONE]".equals(data);
  }

  public static SseEvent data(String data) {
    return new SseEvent(Buffer.buffer("data: " + data + "\n\n"), data);
  }
}
