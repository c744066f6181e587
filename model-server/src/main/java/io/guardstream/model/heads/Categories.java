package io.guardstream.model.heads;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * OpenAI's moderation categories and the mapping from the corpus' source category strings to them.
 * See {@code docs/model-server.md} for the table and the categories that are derived rather than trained.
 */
public final class Categories {

    public static final List<String> OPENAI = List.of(
            "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
            "self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence",
            "violence/graphic");

    /** Categories with their own trained output; the others are derived from a parent (see {@link #PARENT}). */
    public static final List<String> TRAINED = List.of(
            "harassment", "harassment/threatening", "hate", "illicit", "illicit/violent", "self-harm", "sexual",
            "violence");

    /** Parent of each category that has no training labels of its own in the corpus. */
    public static final Map<String, String> PARENT = Map.of(
            "hate/threatening", "hate",
            "self-harm/intent", "self-harm",
            "self-harm/instructions", "self-harm",
            "sexual/minors", "sexual",
            "violence/graphic", "violence");

    private static final String[][] RULES = {
            // substring of the lower-cased source category -> OpenAI categories
            {"harassment/threatening", "harassment/threatening", "harassment"},
            {"threat", "harassment/threatening", "harassment", "violence"},
            {"harass", "harassment"},
            {"bullying", "harassment"},
            {"insult", "harassment"},
            {"abusive", "harassment"},
            {"sexist", "hate"},
            {"homophobic", "hate"},
            {"identity based attack", "hate"},
            {"discrimination", "hate"},
            {"stereotypes", "hate"},
            {"hate", "hate"},
            {"self-harm", "self-harm"},
            {"self harm", "self-harm"},
            {"suicide", "self-harm"},
            {"sexual", "sexual"},
            {"sex_harassment", "sexual", "harassment"},
            {"adult content", "sexual"},
            {"pornography", "sexual"},
            {"weapons", "illicit/violent", "illicit"},
            {"physical harm", "illicit/violent", "violence"},
            {"violence", "violence"},
            {"animal abuse", "violence"},
            {"illegal", "illicit"},
            {"illicit", "illicit"},
            {"fraud", "illicit"},
            {"deception", "illicit"},
            {"malware", "illicit"},
            {"hacking", "illicit"},
            {"cyberattack", "illicit"},
            {"theft", "illicit"},
            {"privacy", "illicit"},
            {"personally identifiable", "illicit"},
            {"private_information", "illicit"},
            {"economic harm", "illicit"},
            {"drug", "illicit"},
    };

    private static final Set<String> NEGATED = Set.of("nohate", "not_hate", "not hate", "non-hateful", "not toxic",
            "not abusive", "neither", "benign", "neutral", "safe", "not");

    private Categories() {
    }

    /**
     * OpenAI categories implied by a harmful record's source categories ({@code origin:}, {@code model:},
     * {@code target:} and {@code span:} tags ignored). Empty when nothing maps.
     */
    public static Set<String> map(List<String> sourceCategories) {
        Set<String> out = new TreeSet<>();
        for (String raw : sourceCategories) {
            String c = raw.toLowerCase(Locale.ROOT).trim();
            if (c.startsWith("origin:") || c.startsWith("model:") || c.startsWith("target:") || c.startsWith("span:")
                    || NEGATED.contains(c)) {
                continue;
            }
            for (String[] rule : RULES) {
                if (c.contains(rule[0])) {
                    for (int k = 1; k < rule.length; k++) {
                        out.add(rule[k]);
                    }
                    break;
                }
            }
        }
        return out;
    }

    /** Indices into {@link #TRAINED} of {@code categories}. */
    public static List<Integer> trainedIndices(Set<String> categories) {
        List<Integer> idx = new ArrayList<>();
        for (String c : categories) {
            int i = TRAINED.indexOf(c);
            if (i >= 0) {
                idx.add(i);
            }
        }
        return idx;
    }
}
