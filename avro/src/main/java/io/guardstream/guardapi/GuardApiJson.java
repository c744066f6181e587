package io.guardstream.guardapi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON of the model server's {@code POST /v1/guard/batch}, shared by every guard client:
 * {@code {"items":[{"id","request":{"text","images":[{"data"}|{"url"}]},"response":{"text"}|null}],"priority"?}} in,
 * {@code {"results":[{"id","model","request","response","refusal","categories","reasoning","latency_ms"}]}} out.
 */
public final class GuardApiJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GuardApiJson() {
    }

    /** An interactive call (no {@code priority} field: interactive is the server's default). */
    public static byte[] requestBody(List<GuardItem> items) {
        return requestBody(items, Priority.INTERACTIVE);
    }

    /** A call in the given lane; {@code priority} is written only when it is not the default. */
    public static byte[] requestBody(List<GuardItem> items, Priority priority) {
        ObjectNode root = JSON.createObjectNode();
        if (priority != Priority.INTERACTIVE) {
            root.put("priority", priority.wireName());
        }
        ArrayNode array = root.putArray("items");
        for (GuardItem item : items) {
            ObjectNode node = array.addObject();
            node.put("id", item.id());
            ObjectNode request = node.putObject("request");
            request.put("text", item.requestText());
            ArrayNode images = request.putArray("images");
            for (GuardItem.Image image : item.images()) {
                ObjectNode img = images.addObject();
                if (image.data() != null) {
                    img.put("data", image.data());
                } else {
                    img.put("url", image.url());
                }
            }
            if (item.responseText() != null) {
                node.putObject("response").put("text", item.responseText());
            } else {
                node.putNull("response");
            }
            if (!item.reasoning()) {
                node.put("reasoning", false);
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode guard request", e);
        }
    }

    /** @throws IllegalArgumentException when the body is not JSON with a {@code results} array */
    public static List<GuardResult> parseResults(byte[] body) {
        try {
            return parseResults(JSON.readTree(body));
        } catch (IOException e) {
            throw new IllegalArgumentException("guard answer is not JSON: " + e.getMessage(), e);
        }
    }

    public static List<GuardResult> parseResults(JsonNode root) {
        JsonNode results = root.path("results");
        if (!results.isArray()) {
            throw new IllegalArgumentException("missing results array");
        }
        List<GuardResult> out = new ArrayList<>(results.size());
        for (JsonNode r : results) {
            Map<String, Double> categories = new LinkedHashMap<>();
            r.path("categories").fields().forEachRemaining(e -> categories.put(e.getKey(), e.getValue().asDouble()));
            JsonNode reasoning = r.path("reasoning");
            String reasoningText = reasoning.isArray() ? joinLines(reasoning) : reasoning.asText("");
            out.add(new GuardResult(
                    r.path("id").asText(),
                    r.path("model").asText("unknown"),
                    label(r.path("request")),
                    label(r.path("response")),
                    label(r.path("refusal")),
                    categories,
                    reasoningText,
                    r.path("latency_ms").asDouble(0.0)));
        }
        return out;
    }

    private static String joinLines(JsonNode array) {
        List<String> lines = new ArrayList<>();
        array.forEach(n -> lines.add(n.asText()));
        return String.join("\n", lines);
    }

    private static GuardResult.Label label(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull() || !node.has("label")) {
            return null;
        }
        return new GuardResult.Label(node.path("label").asText(), node.path("score").asDouble());
    }
}
