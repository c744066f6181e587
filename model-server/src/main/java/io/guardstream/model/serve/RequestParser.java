package io.guardstream.model.serve;

import io.guardstream.model.GuardItem;
import io.guardstream.model.batch.Lane;
import io.guardstream.model.config.ModelServerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Validates API bodies into {@link GuardItem}s; every problem becomes a 400 {@link ApiException} naming the field. */
final class RequestParser {

    private final ModelServerConfig.Limits limits;
    private final boolean reasoningByDefault;

    RequestParser(ModelServerConfig.Limits limits, boolean reasoningByDefault) {
        this.limits = limits;
        this.reasoningByDefault = reasoningByDefault;
    }

    GuardItem item(Object raw, String prefix) {
        if (!(raw instanceof JsonObject o)) {
            throw ApiException.invalid(prefix.isEmpty() ? null : prefix, "invalid_type",
                    (prefix.isEmpty() ? "request body" : prefix) + " must be a JSON object");
        }
        String p = prefix.isEmpty() ? "" : prefix + ".";
        Object id = o.getValue("id");
        if (id != null && !(id instanceof String)) {
            throw ApiException.invalid(p + "id", "invalid_type", p + "id must be a string");
        }
        Object req = o.getValue("request");
        if (req == null) {
            throw ApiException.invalid(p + "request", "missing_field", p + "request is required");
        }
        if (!(req instanceof JsonObject ro)) {
            throw ApiException.invalid(p + "request", "invalid_type", p + "request must be an object");
        }
        List<GuardItem.Image> images = images(ro.getValue("images"), p + "request.images");
        String text = text(ro.getValue("text"), p + "request.text", !images.isEmpty());
        GuardItem.Response response = null;
        Object resp = o.getValue("response");
        if (resp != null) {
            if (!(resp instanceof JsonObject so)) {
                throw ApiException.invalid(p + "response", "invalid_type", p + "response must be an object or null");
            }
            response = new GuardItem.Response(text(so.getValue("text"), p + "response.text", false));
        }
        Object reasoning = o.getValue("reasoning");
        if (reasoning != null && !(reasoning instanceof Boolean)) {
            throw ApiException.invalid(p + "reasoning", "invalid_type", p + "reasoning must be a boolean");
        }
        return new GuardItem(id == null ? UUID.randomUUID().toString() : (String) id,
                new GuardItem.Request(text, images), response,
                reasoning == null ? reasoningByDefault : (Boolean) reasoning);
    }

    List<GuardItem> batch(JsonObject body) {
        Object items = body.getValue("items");
        if (items == null) {
            throw ApiException.invalid("items", "missing_field", "items is required");
        }
        if (!(items instanceof JsonArray arr)) {
            throw ApiException.invalid("items", "invalid_type", "items must be an array");
        }
        if (arr.isEmpty()) {
            throw ApiException.invalid("items", "empty", "items must not be empty");
        }
        if (arr.size() > limits.maxBatchItems()) {
            throw ApiException.invalid("items", "too_many_items",
                    "items has " + arr.size() + " entries; at most " + limits.maxBatchItems() + " are allowed");
        }
        Object defReasoning = body.getValue("reasoning");
        if (defReasoning != null && !(defReasoning instanceof Boolean)) {
            throw ApiException.invalid("reasoning", "invalid_type", "reasoning must be a boolean");
        }
        List<GuardItem> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            Object raw = arr.getValue(i);
            if (defReasoning != null && raw instanceof JsonObject jo && !jo.containsKey("reasoning")) {
                raw = jo.copy().put("reasoning", defReasoning);
            }
            out.add(item(raw, "items[" + i + "]"));
        }
        return out;
    }

    /** The body's optional top-level {@code priority}: {@code interactive} (default) or {@code background}. */
    Lane priority(JsonObject body) {
        Object v = body.getValue("priority");
        if (v == null) {
            return Lane.INTERACTIVE;
        }
        for (Lane lane : Lane.values()) {
            if (lane.wireName().equals(v)) {
                return lane;
            }
        }
        throw ApiException.invalid("priority", "invalid_value", "priority must be interactive or background");
    }

    /** Texts to moderate from an OpenAI moderation {@code input}: a string, strings, or content parts. */
    List<String> moderationInputs(JsonObject body) {
        Object input = body.getValue("input");
        if (input == null) {
            throw ApiException.invalid("input", "missing_field", "input is required");
        }
        if (input instanceof String s) {
            return List.of(checkLength(s, "input"));
        }
        if (!(input instanceof JsonArray arr)) {
            throw ApiException.invalid("input", "invalid_type", "input must be a string or an array");
        }
        if (arr.isEmpty()) {
            throw ApiException.invalid("input", "empty", "input must not be empty");
        }
        if (arr.size() > limits.maxBatchItems()) {
            throw ApiException.invalid("input", "too_many_items",
                    "input has " + arr.size() + " entries; at most " + limits.maxBatchItems() + " are allowed");
        }
        boolean parts = arr.getValue(0) instanceof JsonObject;
        List<String> out = new ArrayList<>();
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < arr.size(); i++) {
            Object v = arr.getValue(i);
            String param = "input[" + i + "]";
            if (!parts) {
                if (!(v instanceof String s)) {
                    throw ApiException.invalid(param, "invalid_type", param + " must be a string");
                }
                out.add(checkLength(s, param));
                continue;
            }
            if (!(v instanceof JsonObject part)) {
                throw ApiException.invalid(param, "invalid_type", param + " must be a content part object");
            }
            String type = part.getValue("type") instanceof String t ? t : null;
            if ("text".equals(type)) {
                if (!(part.getValue("text") instanceof String t)) {
                    throw ApiException.invalid(param + ".text", "invalid_type", param + ".text must be a string");
                }
                joined.append(joined.length() == 0 ? "" : "\n").append(t);
            } else if ("image_url".equals(type)) {
                JsonObject img = part.getValue("image_url") instanceof JsonObject j ? j : null;
                if (img == null || !(img.getValue("url") instanceof String)) {
                    throw ApiException.invalid(param + ".image_url.url", "missing_field",
                            param + ".image_url.url is required");
                }
            } else {
                throw ApiException.invalid(param + ".type", "invalid_value", param + ".type must be text or image_url");
            }
        }
        if (parts) {
            out.add(checkLength(joined.toString(), "input"));
        }
        return out;
    }

    private String text(Object v, String param, boolean optional) {
        if (v == null) {
            if (optional) {
                return "";
            }
            throw ApiException.invalid(param, "missing_field", param + " is required");
        }
        if (!(v instanceof String s)) {
            throw ApiException.invalid(param, "invalid_type", param + " must be a string");
        }
        return checkLength(s, param);
    }

    private String checkLength(String s, String param) {
        if (s.length() > limits.maxTextChars()) {
            throw ApiException.invalid(param, "too_long", String.format(Locale.ROOT,
                    "%s has %d characters; at most %d are allowed", param, s.length(), limits.maxTextChars()));
        }
        return s;
    }

    private List<GuardItem.Image> images(Object v, String param) {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof JsonArray arr)) {
            throw ApiException.invalid(param, "invalid_type", param + " must be an array");
        }
        List<GuardItem.Image> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            String p = param + "[" + i + "]";
            if (!(arr.getValue(i) instanceof JsonObject img)) {
                throw ApiException.invalid(p, "invalid_type", p + " must be an object with data or url");
            }
            Object data = img.getValue("data");
            Object url = img.getValue("url");
            if (data instanceof String d) {
                if ((long) d.length() * 3 / 4 > limits.maxImageBytes()) {
                    throw ApiException.invalid(p + ".data", "too_large",
                            p + ".data exceeds " + limits.maxImageBytes() + " bytes");
                }
                try {
                    out.add(new GuardItem.Image(Base64.getMimeDecoder().decode(strictBase64(d)), null));
                } catch (IllegalArgumentException e) {
                    throw ApiException.invalid(p + ".data", "invalid_base64", p + ".data is not valid base64");
                }
            } else if (url instanceof String u) {
                if (!(u.startsWith("https://") || u.startsWith("http://") || u.startsWith("data:"))) {
                    throw ApiException.invalid(p + ".url", "invalid_value", p + ".url must be http(s) or a data URL");
                }
                out.add(new GuardItem.Image(null, u));
            } else {
                throw ApiException.invalid(p, "missing_field", p + " needs data (base64 string) or url (string)");
            }
        }
        return out;
    }

    private static String strictBase64(String d) {
        String s = d.replaceAll("\\s", "");
        if (s.isEmpty() || s.length() % 4 != 0 || !s.matches("[A-Za-z0-9+/]*={0,2}")) {
            throw new IllegalArgumentException("not base64");
        }
        return s;
    }
}
