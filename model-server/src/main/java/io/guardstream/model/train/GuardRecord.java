package io.guardstream.model.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One labelled record of the guard corpus JSONL schema ({@code id, source, prompt, response, prompt_harm,
 * response_harm, response_refusal, categories}). A {@code null} label means the source does not label that task.
 */
public record GuardRecord(String id, String source, String prompt, String response, Boolean promptHarmful,
                          Boolean responseHarmful, Boolean refusal, List<String> categories) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static List<GuardRecord> readJsonl(Path file) throws IOException {
        List<GuardRecord> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(parse(JSON.readTree(line)));
                }
            }
        }
        return out;
    }

    static GuardRecord parse(JsonNode n) {
        List<String> cats = new ArrayList<>();
        n.path("categories").forEach(c -> cats.add(c.asText()));
        return new GuardRecord(n.path("id").asText(), n.path("source").asText(), n.path("prompt").asText(""),
                n.path("response").isTextual() ? n.get("response").asText() : null,
                label(n, "prompt_harm", "harmful"), label(n, "response_harm", "harmful"),
                label(n, "response_refusal", "refusal"), cats);
    }

    private static Boolean label(JsonNode n, String field, String positive) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : positive.equals(v.asText());
    }
}
