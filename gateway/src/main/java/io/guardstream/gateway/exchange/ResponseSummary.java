package io.guardstream.gateway.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/** What the gateway learned about an upstream answer while relaying it: text, finish reason, usage, error. */
public final class ResponseSummary {

  private final int maxTextChars;
  private final Map<Integer, StringBuilder> textByChoice = new TreeMap<>();
  private final Map<Integer, String> finishByChoice = new TreeMap<>();
  private boolean truncated;
  private String model;
  private String upstreamId;
  private Usage usage;
  private String errorMessage;
  private boolean done;

  public ResponseSummary(int maxTextChars) {
    this.maxTextChars = maxTextChars;
  }

  public void appendText(int choice, String text) {
    if (text == null || text.isEmpty()) {
      return;
    }
    StringBuilder sb = textByChoice.computeIfAbsent(choice, k -> new StringBuilder());
    int room = maxTextChars - sb.length();
    if (room <= 0) {
      truncated = true;
      return;
    }
    if (text.length() > room) {
      sb.append(text, 0, room);
      truncated = true;
    } else {
      sb.append(text);
    }
  }

  public void finishReason(int choice, String reason) {
    if (reason != null) {
      finishByChoice.put(choice, reason);
    }
  }

  public void applyUsage(JsonNode usage) {
    if (usage != null && usage.isObject()) {
      this.usage = new Usage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0),
          usage.path("total_tokens").asLong(0));
    }
  }

  public void model(String model) {
    if (model != null) {
      this.model = model;
    }
  }

  public void upstreamId(String id) {
    if (id != null && upstreamId == null) {
      this.upstreamId = id;
    }
  }

  public void error(String message) {
    this.errorMessage = message;
  }

  public void markDone() {
    this.done = true;
  }

  /** Text of choice 0 (the one OpenAI clients read), capped. */
  public String text() {
    StringBuilder sb = textByChoice.get(0);
    if (sb == null && !textByChoice.isEmpty()) {
      sb = textByChoice.values().iterator().next();
    }
    return sb == null ? null : sb.toString();
  }

  public String finishReason() {
    return finishByChoice.isEmpty() ? null : finishByChoice.getOrDefault(0, finishByChoice.values().iterator().next());
  }

  public boolean truncated() {
    return truncated;
  }

  public String model() {
    return model;
  }

  public String upstreamId() {
    return upstreamId;
  }

  public Usage usage() {
    return usage;
  }

  public String errorMessage() {
    return errorMessage;
  }

  public boolean done() {
    return done;
  }

  public record Usage(long promptTokens, long completionTokens, long totalTokens) {
  }
}
