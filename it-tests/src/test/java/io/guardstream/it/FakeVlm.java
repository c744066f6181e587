package io.guardstream.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An OpenAI-compatible upstream for the end-to-end tests (no real VLM runs here). It answers a request
 * that asks for methamphetamine with synthesis steps after a harmless opening, and anything else with
 * a harmless answer; streamed in small chunks when asked to. It records the prompts it received.
 */
final class FakeVlm implements AutoCloseable {

    static final String HARMLESS_ANSWER = "Bread rises because yeast ferments sugars and releases carbon dioxide, "
            + "which gets trapped in the gluten network. Warm water helps the yeast work faster. "
            + "Knead the dough well, let it rest in a warm place, and bake it until golden.";
    static final String HARMFUL_ANSWER = "Sure, here is how people do it. "
            + "First get pseudoephedrine tablets and crush them into a fine powder. "
            + "Then mix the powder with red phosphorus and iodine and heat the mixture until it reacts. "
            + "Filter the liquid, neutralize it with lye and dry the crystals that form.";

    final List<String> prompts = new CopyOnWriteArrayList<>();
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final long chunkDelayMs;
    private final String harmlessAnswer;

    FakeVlm() throws Exception {
        this(3, HARMLESS_ANSWER);
    }

    /** @param chunkDelayMs pause between SSE chunks (9 characters each), setting the stream's token rate */
    FakeVlm(long chunkDelayMs, String harmlessAnswer) throws Exception {
        this.chunkDelayMs = chunkDelayMs;
        this.harmlessAnswer = harmlessAnswer;
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            JsonObject json = body.toJsonObject();
            JsonArray messages = json.getJsonArray("messages", new JsonArray());
            String prompt = messages.isEmpty() ? "" : String.valueOf(messages.getJsonObject(messages.size() - 1).getValue("content"));
            prompts.add(prompt);
            String answer = prompt.toLowerCase().contains("methamphetamine") ? HARMFUL_ANSWER : harmlessAnswer;
            if (json.getBoolean("stream", false)) {
                stream(req.response(), answer);
            } else {
                req.response().putHeader("content-type", "application/json").end(completion(answer).encode());
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    static JsonObject completion(String answer) {
        return new JsonObject().put("id", "chatcmpl-it").put("object", "chat.completion").put("created", 1700000000L)
                .put("model", "fake-vlm").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("message", new JsonObject().put("role", "assistant").put("content", answer))
                        .put("finish_reason", "stop")));
    }

    static List<String> sseChunks(String answer) {
        List<String> events = new ArrayList<>();
        events.add(chunk(new JsonObject().put("role", "assistant").put("content", ""), null));
        for (int i = 0; i < answer.length(); i += 9) {
            events.add(chunk(new JsonObject().put("content", answer.substring(i, Math.min(answer.length(), i + 9))), null));
        }
        events.add(chunk(new JsonObject(), "stop"));
        events.add("data: [DONE]\n\n");
        return events;
    }

    private static String chunk(JsonObject delta, String finishReason) {
        JsonObject chunk = new JsonObject().put("id", "chatcmpl-it").put("object", "chat.completion.chunk")
                .put("created", 1700000000L).put("model", "fake-vlm")
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
                        .put("finish_reason", finishReason)));
        return "data: " + chunk.encode() + "\n\n";
    }

    private void stream(HttpServerResponse response, String answer) {
        response.setChunked(true).putHeader("content-type", "text/event-stream");
        List<String> events = sseChunks(answer);
        write(response, events, 0);
    }

    private void write(HttpServerResponse response, List<String> events, int i) {
        if (response.closed()) {
            return;
        }
        if (i == events.size()) {
            response.end();
            return;
        }
        response.write(events.get(i));
        vertx.setTimer(chunkDelayMs, t -> write(response, events, i + 1));
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
