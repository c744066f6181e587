package io.guardstream.gateway.sse;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a byte stream into SSE lines, carrying an unfinished line (and any split UTF-8 sequence)
 * into the next chunk. Lines longer than {@code maxLineBytes} are skipped, not buffered.
 */
public final class SseLineSplitter {

  private final Consumer<String> lineConsumer;
  private final int maxLineBytes;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private boolean overflow;

  public SseLineSplitter(int maxLineBytes, Consumer<String> lineConsumer) {
    this.maxLineBytes = maxLineBytes;
    this.lineConsumer = lineConsumer;
  }

  public void feed(Buffer chunk) {
    byte[] bytes = chunk.getBytes();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        emit(bytes, start, i);
        start = i + 1;
      }
    }
    if (start < bytes.length) {
      append(bytes, start, bytes.length - start);
    }
  }

  /** True while bytes of an unfinished line are held. */
  public boolean hasPartialLine() {
    return partial.size() > 0 || overflow;
  }

  public void finish() {
    if (partial.size() > 0 && !overflow) {
      byte[] rest = partial.toByteArray();
      accept(rest, 0, rest.length);
    }
    partial.reset();
    overflow = false;
  }

  private void emit(byte[] bytes, int start, int end) {
    if (partial.size() == 0 && !overflow) {
      accept(bytes, start, end);
      return;
    }
    append(bytes, start, end - start);
    if (!overflow) {
      byte[] line = partial.toByteArray();
      accept(line, 0, line.length);
    }
    partial.reset();
    overflow = false;
  }

  private void accept(byte[] bytes, int start, int end) {
    if (end > start && bytes[end - 1] == '\r') {
      end--;
    }
    lineConsumer.accept(new String(bytes, start, end - start, StandardCharsets.UTF_8));
  }

  private void append(byte[] bytes, int off, int len) {
    if (overflow) {
      return;
    }
    if (partial.size() + len > maxLineBytes) {
      overflow = true;
      partial.reset();
      return;
    }
    partial.write(bytes, off, len);
  }
}
