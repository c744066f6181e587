package io.guardstream.model.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Respellings people use to slip a word past a filter: letters spaced out, leetspeak, a letter dropped or two swapped,
 * two words run together. Training on respelled copies teaches the guard to read through them; as many harmful as
 * benign prompts are respelled, so a respelling is no evidence either way.
 */
public final class Obfuscations {

    /** The {@code source} of the respelled records, for {@code --source-weight}. */
    public static final String SOURCE = "guardstream-obfuscated";

    /** Longest prompt respelled: the evasions are short messages, and one word in a long text changes little. */
    static final int MAX_PROMPT_CHARS = 400;

    enum Kind { SPACED, LEET, DROPPED, SWAPPED, JOINED }

    private static final Pattern WORD = Pattern.compile("\\p{L}{4,}");
    private static final String LEET = "aeiost";
    private static final String LEET_DIGITS = "431057";
    private static final Pattern GAP = Pattern.compile("(?<=\\p{L}) (?=\\p{L})");

    private Obfuscations() {
    }

    /**
     * Respelled copies of up to {@code perLabel} harmful and as many benign prompts of {@code records} (prompt-labelled,
     * no response, at most {@link #MAX_PROMPT_CHARS} characters; a seeded draw, the smaller label sets the count).
     */
    public static List<GuardRecord> balanced(List<GuardRecord> records, int perLabel, long seed) {
        List<GuardRecord> harmful = new ArrayList<>();
        List<GuardRecord> benign = new ArrayList<>();
        for (GuardRecord r : records) {
            if (r.promptHarmful() != null && r.response() == null && r.prompt().length() <= MAX_PROMPT_CHARS) {
                (r.promptHarmful() ? harmful : benign).add(r);
            }
        }
        return of(BalancedDraw.of(harmful, benign, perLabel, seed), seed);
    }

    /**
     * One respelled copy of each record (same labels and categories, source {@link #SOURCE}), the kind and the word
     * drawn from {@code seed} and the record's id; a record with nothing to respell is left out.
     */
    static List<GuardRecord> of(List<GuardRecord> records, long seed) {
        List<GuardRecord> out = new ArrayList<>(records.size());
        Kind[] kinds = Kind.values();
        for (GuardRecord r : records) {
            Random rnd = new Random(seed * 31 + r.id().hashCode());
            String respelled = respell(r.prompt(), kinds[rnd.nextInt(kinds.length)], rnd);
            if (!respelled.equals(r.prompt())) {
                out.add(new GuardRecord(r.id() + "-obf", SOURCE, respelled, r.response(), r.promptHarmful(),
                        r.responseHarmful(), r.refusal(), r.categories()));
            }
        }
        return out;
    }

    /** {@code text} with one word (or, for {@link Kind#JOINED}, one gap between words) respelled. */
    static String respell(String text, Kind kind, Random rnd) {
        Matcher m = (kind == Kind.JOINED ? GAP : WORD).matcher(text);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return text;
        }
        int[] span = spans.get(rnd.nextInt(spans.size()));
        String word = text.substring(span[0], span[1]);
        String respelled = switch (kind) {
            case SPACED -> String.join(" ", word.split(""));
            case LEET -> leet(word, rnd);
            case DROPPED -> {
                int i = 1 + rnd.nextInt(word.length() - 2);
                yield word.substring(0, i) + word.substring(i + 1);
            }
            case SWAPPED -> {
                int i = 1 + rnd.nextInt(word.length() - 3);
                yield word.substring(0, i) + word.charAt(i + 1) + word.charAt(i) + word.substring(i + 2);
            }
            case JOINED -> "";
        };
        return text.substring(0, span[0]) + respelled + text.substring(span[1]);
    }

    /** One or two of the word's letters that have a digit look-alike replaced, as people write "h4te". */
    private static String leet(String word, Random rnd) {
        char[] chars = word.toCharArray();
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < chars.length; i++) {
            if (LEET.indexOf(Character.toLowerCase(chars[i])) >= 0) {
                candidates.add(i);
            }
        }
        Collections.shuffle(candidates, rnd);
        for (int i : candidates.subList(0, Math.min(candidates.size(), 1 + rnd.nextInt(2)))) {
            chars[i] = LEET_DIGITS.charAt(LEET.indexOf(Character.toLowerCase(chars[i])));
        }
        return new String(chars);
    }
}
