package io.guardstream.gateway.sse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.guardstream.gateway.exchange.ResponseSummary;
import io.vertx.core.buffer.Buffer;

/**
 * Side parser for an OpenAI chat completion SSE stream: sees every byte the client gets, never
 * changes one, and assembles the {@link ResponseSummary}. Malformed events are ignored here; the
 * client sees them exactly as the upstream sent them.
 */
public final class SseChunkParser {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ResponseSummary summary;
  private final SseLineSplitter splitter;
  private final Runnable onFirstContent;
  private boolean sawContent;

  public SseChunkParser(ResponseSummary summary, int maxLineBytes, Runnable onFirstContent) {
    this.summary = summary;
    this.onFirstContent = onFirstContent;
    this.splitter = new SseLineSplitter(maxLineBytes, this::onLine);
  }

  public void feed(Buffer chunk) {
    splitter.feed(chunk);
  }

  public void finish() {
    splitter.finish();
  }

  public boolean midLine() {
    return splitter.hasPartialLine();
  }

  private void onLine(String line) {
    if (!line.startsWith("data:")) {
      return;
    }
    String data = line.length() > 5 && line.charAt(5) == ' ' ? line.substring(6) : line.substring(5);
    if (data.equals("[DONE]")) {
      summary.markDone();
      return;
    }
    JsonNode event;
    try {
      event = MAPPER.readTree(data);
    } catch (Exception e) {
      return;
    }
    if (event == null || !event.isObject()) {
      return;
    }
    applyChunk(summary, event, true);
    if (!sawContent && summary.text() != null) {
      sawContent = true;
      if (onFirstContent != null) {
        onFirstContent.run();
      }
    }
  }

  /** Applies one chat completion (streamed chunk when {@code delta}, whole response otherwise). */
  public static void applyChunk(ResponseSummary summary, JsonNode event, boolean delta) {
    JsonNode error = event.get("error");
    if (error != null && error.isObject()) {
      summary.error(error.path("message").asText("upstream error"));
    }
    summary.model(event.path("model").textValue());
    summary.upstreamId(event.path("id").textValue());
    JsonNode choices = event.get("choices");
    if (choices != null && choices.isArray()) {
      for (JsonNode choice : choices) {
        int index = choice.path("index").asInt(0);
        JsonNode content = choice.path(delta ? "delta" : "message").get("content");
        if (content != null && content.isTextual()) {
          summary.appendText(index, content.asText());
        }
        JsonNode finish = choice.get("finish_reason");
        if (finish != null && finish.isTextual()) {
          summary.finishReason(index, finish.asText());
        }
      }
    }
    summary.applyUsage(event.get("usage"));
  }
}
