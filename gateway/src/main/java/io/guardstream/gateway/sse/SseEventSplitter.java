package io.guardstream.gateway.sse;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/** Cuts a byte stream into complete {@link SseEvent}s, keeping an unfinished event for the next chunk. */
public final class SseEventSplitter {

  private final SseLineSplitter lines;
  private final List<SseEvent> ready = new ArrayList<>();
  private StringBuilder raw = new StringBuilder();
  private StringBuilder data;

  public SseEventSplitter(int maxLineBytes) {
    this.lines = new SseLineSplitter(maxLineBytes, this::onLine);
  }

  public List<SseEvent> feed(Buffer chunk) {
    lines.feed(chunk);
    return drain();
  }

  /** Flushes what is left at end of stream as a last event. */
  public List<SseEvent> finish() {
    lines.finish();
    if (raw.length() > 0) {
      onLine("");
    }
    return drain();
  }

  private List<SseEvent> drain() {
    if (ready.isEmpty()) {
      return List.of();
    }
    List<SseEvent> out = new ArrayList<>(ready);
    ready.clear();
    return out;
  }

  private void onLine(String line) {
    if (line.isEmpty()) {
      if (raw.length() > 0) {
        raw.append('\n');
        ready.add(new SseEvent(Buffer.buffer(raw.toString()), data == null ? null : data.toString()));
        raw = new StringBuilder();
        data = null;
      }
      return;
    }
    raw.append(line).append('\n');
    if (line.startsWith("data:")) {
      String value = line.length() > 5 && line.charAt(5) == ' ' ? line.substring(6) : line.substring(5);
      if (data == null) {
        data = new StringBuilder(value);
      } else {
        data.append('\n').append(value);
      }
    }
  }
}
