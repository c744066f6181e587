package io.guardstream.gateway.enforce;

import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.LabelScore;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The client-visible shapes of enforcement, in the forms OpenAI and Azure clients already handle:
 * a blocked request is HTTP 400 with {@code error.code = "content_filter"}; a blocked or redacted answer
 * ends with {@code finish_reason: "content_filter"}. Each carries a {@code guardstream} object with the
 * verdict and its reasoning.
 */
public final class ContentFilterResponses {

  public static final String CONTENT_FILTER = "content_filter";
  public static final String VERDICT_HEADER = "x-guardstream-verdict";

  private ContentFilterResponses() {
  }

  /** The {@code guardstream} annotation: what was decided, on which stage, and why. */
  public static JsonObject annotation(Decision decision, GuardVerdict verdict) {
    JsonObject annotation = new JsonObject()
        .put("action", decision.unsafe() ? decision.action().yaml() : "none")
        .put("stage", decision.stage().label())
        .put("categories", new JsonArray(decision.categories()));
    if (verdict != null) {
      annotation.put("verdict_id", verdict.getVerdictId())
          .put("model", verdict.getModel())
          .put("request", label(verdict.getRequest()))
          .put("response", label(verdict.getResponse()))
          .put("refusal", label(verdict.getRefusal()))
          .put("category_scores", new JsonObject(new java.util.LinkedHashMap<>(verdict.getCategories())))
          .put("reasoning", new JsonArray(verdict.getReasoning()));
    }
    return annotation;
  }

  /** Annotation for content that passed or was cut without a verdict because the guard failed. */
  public static JsonObject unverified(Decision.Stage stage, String reason, boolean failedOpen) {
    return new JsonObject()
        .put("action", failedOpen ? "none" : "block")
        .put("stage", stage.label())
        .put("unverified", true)
        .put("reason", reason);
  }

  /** The {@code x-guardstream-verdict} header value: {@code <action>; stage=<stage>; categories=a,b}. */
  public static String verdictHeader(JsonObject annotation) {
    StringBuilder value = new StringBuilder(annotation.getString("action"))
        .append("; stage=").append(annotation.getString("stage"));
    JsonArray categories = annotation.getJsonArray("categories");
    if (categories != null && !categories.isEmpty()) {
      value.append("; categories=").append(String.join(",", categories.getList().stream().map(String::valueOf).toList()));
    }
    if (Boolean.TRUE.equals(annotation.getBoolean("unverified"))) {
      value.append("; unverified");
    }
    return value.toString();
  }

  /**
   * Rewrites a non-streamed chat completion: every choice's content becomes {@code replacement} and its
   * finish reason {@code content_filter}; the annotation is added as {@code guardstream}.
   */
  public static JsonObject filteredCompletion(JsonObject completion, String replacement, JsonObject annotation) {
    JsonObject copy = completion.copy();
    JsonArray choices = copy.getJsonArray("choices", new JsonArray());
    for (int i = 0; i < choices.size(); i++) {
      JsonObject choice = choices.getJsonObject(i);
      JsonObject message = choice.getJsonObject("message", new JsonObject().put("role", "assistant"));
      message.put("content", replacement);
      message.remove("tool_calls");
      choice.put("message", message).put("finish_reason", CONTENT_FILTER);
    }
    return copy.put("guardstream", annotation);
  }

  /** Adds the annotation to a completion that passed (flagged or clean) without changing its content. */
  public static JsonObject annotatedCompletion(JsonObject completion, JsonObject annotation) {
    return completion.copy().put("guardstream", annotation);
  }

  /** One SSE chunk carrying {@code text} as delta content, in the stream's id/model. */
  public static Buffer contentChunk(StreamIdentity stream, String text) {
    JsonObject chunk = stream.chunk()
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
            .put("delta", new JsonObject().put("content", text)).putNull("finish_reason")));
    return event(chunk);
  }

  /**
   * The last chunk of a cut or filtered stream: optional replacement text, {@code finish_reason:
   * "content_filter"} and the annotation, followed by {@code data: [DONE]}.
   */
  public static Buffer finalFilterChunk(StreamIdentity stream, String text, JsonObject annotation) {
    JsonObject delta = new JsonObject();
    if (text != null && !text.isEmpty()) {
      delta.put("content", text);
    }
    JsonObject chunk = stream.chunk()
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
            .put("finish_reason", CONTENT_FILTER)))
        .put("guardstream", annotation);
    return event(chunk).appendString("data: [DONE]\n\n");
  }

  private static Buffer event(JsonObject chunk) {
    return Buffer.buffer("data: ").appendString(chunk.encode()).appendString("\n\n");
  }

  private static JsonObject label(LabelScore label) {
    return label == null ? null : new JsonObject().put("label", label.getLabel()).put("score", label.getScore());
  }

  /** The id, creation time and model every chunk of one stream repeats. */
  public record StreamIdentity(String id, long created, String model) {

    JsonObject chunk() {
      return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
    }
  }
}
