package io.guardstream.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Respellings people use to slip a word past a filter: letters spaced out, leetspeak, a letter dropped or two swapped,
 * two words run together. Training on respelled copies teaches the guard to read through them; the copies are made of
 * harmful and benign records alike, so a respelling is no evidence either way.
 */
public final class Obfuscations {

    /** The {@code source} of the respelled records, for {@code --source-weight}. */
    public static final String SOURCE = "guardstream-obfuscated";

    enum Kind { SPACED, LEET, DROPPED, SWAPPED, JOINED }

    private static final Pattern WORD = Pattern.compile("\\p{L}{4,}");
    private static final Pattern GAP = Pattern.compile("(?<=\\p{L}) (?=\\p{L})");

    private Obfuscations() {
    }

    /**
     * One respelled copy of each record (same labels and categories, source {@link #SOURCE}), the kind and the word
     * drawn from {@code seed} and the record's id; a record with nothing to respell is left out.
     */
    public static List<GuardRecord> of(List<GuardRecord> records, long seed) {
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
            case LEET -> leet(word);
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

    private static String leet(String word) {
        StringBuilder b = new StringBuilder(word.length());
        for (char c : word.toCharArray()) {
            b.append(switch (Character.toLowerCase(c)) {
                case 'a' -> '4';
                case 'e' -> '3';
                case 'i' -> '1';
                case 'o' -> '0';
                case 's' -> '5';
                case 't' -> '7';
                default -> c;
            });
        }
        return b.toString();
    }
}
