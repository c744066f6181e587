package io.guardstream.gateway.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.gateway.enforce.ContentFilterResponses.StreamIdentity;
import io.guardstream.gateway.enforce.Decision.Stage;
import io.guardstream.gateway.enforce.WindowPlanner.Window;
import io.guardstream.gateway.policy.Modes.Action;
import io.guardstream.gateway.policy.Modes.ResponseMode;
import io.guardstream.gateway.policy.Policy;
import io.guardstream.gateway.proxy.ExchangeContext;
import io.guardstream.gateway.sse.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Moderates one streamed answer, window by window, on the exchange's event loop.
 *
 * <p>{@code hold_back}: every SSE event is held until all text it carries lies in windows judged safe;
 * a window's verdict releases the text up to where the next window starts, so the overlap is judged
 * twice and released once. {@code stream_first}: content events go out at once while windows are
 * judged alongside; only the finishing events ({@code finish_reason}, {@code [DONE]}) wait for the last
 * verdict. An unsafe window ends the stream with a {@code content_filter} chunk ({@code block}), or in
 * {@code hold_back} is replaced by the redaction text ({@code redact}). Only choice 0 is judged.
 */
final class StreamGuard {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private record Held(Buffer raw, int start, int end) {
  }

  private record Judgement(Window window, Future<GuardVerdict> verdict) {
  }

  private final ExchangeContext ctx;
  private final EnforcementState state;
  private final Policy policy;
  private final ResponseMode mode;
  private final JudgeWindow judge;
  private final EnforcementMetrics metrics;
  private final WindowPlanner planner;
  private final Deque<Held> held = new ArrayDeque<>();
  private final Deque<Judgement> judging = new ArrayDeque<>();
  private StreamIdentity identity;
  private int safeUpTo;
  private boolean cut;

  /** Starts the guard check of one window. */
  interface JudgeWindow {
    Future<GuardVerdict> judge(Window window, String text);
  }

  StreamGuard(ExchangeContext ctx, EnforcementState state, JudgeWindow judge, EnforcementMetrics metrics) {
    this.ctx = ctx;
    this.state = state;
    this.policy = state.policy();
    this.mode = state.responseMode();
    this.judge = judge;
    this.metrics = metrics;
    this.planner = new WindowPlanner(policy.windowChars, policy.overlapChars);
  }

  /** Takes one upstream event; returns the bytes that may go to the client now. */
  Future<Buffer> onEvent(SseEvent event) {
    if (cut) {
      return Future.succeededFuture(Buffer.buffer());
    }
    int start = planner.length();
    boolean finishing = event.isDone();
    if (event.data() != null && !event.isDone()) {
      JsonNode chunk = parse(event.data());
      if (chunk != null) {
        rememberIdentity(chunk);
        JsonNode choice = chunk.path("choices").path(0);
        String delta = choice.path("delta").path("content").asText("");
        planner.append(delta);
        finishing = choice.hasNonNull("finish_reason") && !choice.path("finish_reason").asText().isEmpty();
      }
    }
    for (Window window = planner.nextFull(); window != null; window = planner.nextFull()) {
      judging.add(new Judgement(window, judge.judge(window, planner.text(window))));
    }
    Buffer out = Buffer.buffer();
    if (mode == ResponseMode.STREAM_FIRST && !finishing) {
      out.appendBuffer(event.raw());
    } else {
      held.add(new Held(event.raw(), start, planner.length()));
    }
    return Future.succeededFuture(out.appendBuffer(settle()));
  }

  /** The upstream finished: judges the tail, waits for every window, and returns the rest of the answer. */
  Future<Buffer> onEnd() {
    if (cut) {
      return Future.succeededFuture(Buffer.buffer());
    }
    Window tail = planner.tail();
    if (tail != null) {
      judging.add(new Judgement(tail, judge.judge(tail, planner.text(tail))));
    }
    List<Future<GuardVerdict>> all = new ArrayList<>();
    judging.forEach(j -> all.add(j.verdict()));
    return Future.join(all).transform(ignored -> {
      Buffer out = settle();
      if (!cut) {
        safeUpTo = planner.length();
        out.appendBuffer(release());
      }
      return Future.succeededFuture(out);
    });
  }

  /** Applies finished verdicts in window order and releases what became safe. */
  private Buffer settle() {
    Buffer out = Buffer.buffer();
    while (!cut && !judging.isEmpty() && judging.peek().verdict().isComplete()) {
      Judgement judgement = judging.poll();
      out.appendBuffer(apply(judgement));
    }
    if (!cut) {
      out.appendBuffer(release());
    }
    return out;
  }

  private Buffer apply(Judgement judgement) {
    Window window = judgement.window();
    Future<GuardVerdict> result = judgement.verdict();
    if (result.failed()) {
      JsonObject unverified = state.guardFailed(Stage.RESPONSE, result.cause(), metrics);
      if (state.failsOpen()) {
        safeUpTo = Math.max(safeUpTo, window.releaseEnd());
        return Buffer.buffer();
      }
      return cutStream(null, unverified);
    }
    GuardVerdict verdict = result.result();
    // in stream_first the text already went out: the only way to stop more of it is to end the stream
    Decision decision = state.decide(verdict, Stage.RESPONSE, mode != ResponseMode.STREAM_FIRST, metrics);
    JsonObject annotation = ContentFilterResponses.annotation(decision, verdict);
    if (!decision.unsafe() || decision.action() == Action.FLAG) {
      safeUpTo = Math.max(safeUpTo, window.releaseEnd());
      return Buffer.buffer();
    }
    if (decision.action() == Action.BLOCK) {
      Buffer before = release();
      return before.appendBuffer(cutStream(policy.refusalText, annotation));
    }
    return redact(window);
  }

  /** Drops the held events that carry the unsafe window's text and sends the redaction text instead. */
  private Buffer redact(Window window) {
    Buffer out = release();
    int droppedUpTo = safeUpTo;
    while (!held.isEmpty() && held.peek().start() < window.end()) {
      Held dropped = held.poll();
      droppedUpTo = Math.max(droppedUpTo, dropped.end());
    }
    safeUpTo = Math.max(safeUpTo, droppedUpTo);
    return out.appendBuffer(ContentFilterResponses.contentChunk(identity(), policy.redactionText));
  }

  private Buffer cutStream(String text, JsonObject annotation) {
    cut = true;
    held.clear();
    judging.clear();
    ctx.stopAfterThis();
    return ContentFilterResponses.finalFilterChunk(identity(), text, annotation);
  }

  /** Held events whose text is entirely judged safe, in order. */
  private Buffer release() {
    Buffer out = Buffer.buffer();
    while (!held.isEmpty() && held.peek().end() <= safeUpTo) {
      out.appendBuffer(held.poll().raw());
    }
    return out;
  }

  private void rememberIdentity(JsonNode chunk) {
    if (identity == null && chunk.hasNonNull("id")) {
      identity = new StreamIdentity(chunk.path("id").asText(), chunk.path("created").asLong(System.currentTimeMillis() / 1000),
          chunk.path("model").asText(""));
    }
  }

  private StreamIdentity identity() {
    return identity != null ? identity
        : new StreamIdentity("chatcmpl-" + ctx.exchangeId(), System.currentTimeMillis() / 1000,
            ctx.chatRequest() == null ? "" : String.valueOf(ctx.chatRequest().model()));
  }

  private static JsonNode parse(String data) {
    try {
      JsonNode node = MAPPER.readTree(data);
      return node != null && node.isObject() ? node : null;
    } catch (Exception e) {
      return null;
    }
  }
}
