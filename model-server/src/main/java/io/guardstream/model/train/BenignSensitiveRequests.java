package io.guardstream.model.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Harmless requests about sensitive subjects (history, prevention, health, support, fiction, policy), expanded from
 * the frames and topics of {@code benign-sensitive.txt}. The guard corpus pairs these subjects almost only with
 * harmful intent, so without them an encoder learns to flag the topic instead of the request.
 */
public final class BenignSensitiveRequests {

    public static final String SOURCE = "guardstream-benign-sensitive";
    static final String RESOURCE = "benign-sensitive.txt";

    private BenignSensitiveRequests() {
    }

    /** The expanded resource, in file order, each prompt once. */
    public static List<GuardRecord> load() {
        try (InputStream in = BenignSensitiveRequests.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing class path resource " + RESOURCE);
            }
            return expand(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every frame of a section with every topic of that section; a frame without {@code {topic}} is refused. */
    static List<GuardRecord> expand(String text) {
        Set<String> prompts = new LinkedHashSet<>();
        List<String> sections = new ArrayList<>();
        String section = null;
        List<String> topics = List.of();
        int lineNo = 0;
        for (String raw : text.split("\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
                topics = List.of();
            } else if (line.startsWith("topics:")) {
                topics = List.of(line.substring("topics:".length()).split(";")).stream()
                        .map(String::strip).filter(t -> !t.isEmpty()).toList();
            } else {
                if (section == null || topics.isEmpty() || !line.contains("{topic}")) {
                    throw new IllegalArgumentException(RESOURCE + " line " + lineNo
                            + ": a frame needs a section with topics above it and a {topic} placeholder: " + line);
                }
                for (String topic : topics) {
                    if (prompts.add(line.replace("{topic}", topic))) {
                        sections.add(section);
                    }
                }
            }
        }
        List<GuardRecord> out = new ArrayList<>(prompts.size());
        int i = 0;
        for (String prompt : prompts) {
            out.add(new GuardRecord(SOURCE + "-" + i, SOURCE, prompt, null, false, null, null,
                    List.of("section:" + sections.get(i))));
            i++;
        }
        return out;
    }
}
