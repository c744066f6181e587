package io.guardstream.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Answers with a passage of an unrelated harmless answer put before or after them. A harmful passage that shares its
 * 128-token window with harmless text (steps at the end of a long helpful answer) read as harmless to heads trained
 * on undiluted answers; the copies keep the original's response label, so the harmful part decides. As many harmless
 * answers (refusals among them) as harmful ones are diluted, so added text is no evidence either way: with harmless
 * answers diluted but not refusals, heads learnt mixed text as a sign of harm and flagged refusals in jailbreak personas.
 *
 * <p>The passages come from harmless, non-refusing answers to harmless requests; the copies carry no request label
 * (their prompts are already trained on), keep the response label and, for compliant answers, the refusal label.
 */
public final class DilutedAnswers {

    /** The {@code TrainMain} flag that adds the copies. */
    public static final String FLAG = "--diluted-answers";
    /** The copies' {@code source}, for {@code --source-weight}. */
    public static final String SOURCE = "guardstream-diluted-answers";
    /** Passage length in words: long enough to dominate a window's mean, short enough to leave room for the answer. */
    static final int MIN_PASSAGE_WORDS = 25;
    static final int MAX_PASSAGE_WORDS = 70;
    /** Share of copies with the passage before the answer, where a window of it starts as harmless text. */
    static final double BEFORE = 0.7;

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?:])\\s+|\\n+");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private DilutedAnswers() {
    }

    /**
     * Diluted copies of up to {@code perLabel} harmful and as many harmless answers of {@code records} (labelled
     * responses outside diasafety's context-dependent replies, refusals among the harmless ones; a seeded draw, the
     * smaller label sets the count), the passages drawn from {@code records}' harmless answers to harmless requests
     * (another record's than the copy's, where there is another).
     */
    public static List<GuardRecord> balanced(List<GuardRecord> records, int perLabel, long seed) {
        List<GuardRecord> harmful = new ArrayList<>();
        List<GuardRecord> harmless = new ArrayList<>();
        List<GuardRecord> passages = new ArrayList<>();
        for (GuardRecord r : records) {
            if (r.response() == null || r.responseHarmful() == null || "diasafety".equals(r.source())) {
                continue;
            }
            if (r.responseHarmful()) {
                harmful.add(r);
            } else {
                harmless.add(r);
                if (isPassageSource(r)) {
                    passages.add(r);
                }
            }
        }
        if (passages.isEmpty()) {
            return List.of();
        }
        List<GuardRecord> picked = BalancedDraw.of(harmful, harmless, perLabel, seed);
        List<GuardRecord> out = new ArrayList<>(picked.size());
        for (GuardRecord r : picked) {
            Random rnd = new Random(seed * 31 + r.id().hashCode());
            int k = rnd.nextInt(passages.size());
            if (passages.get(k) == r) {
                k = (k + 1) % passages.size();
            }
            String passage = passage(passages.get(k).response(), rnd);
            if (passage.isEmpty()) {
                continue;
            }
            String diluted = rnd.nextDouble() < BEFORE ? passage + "\n\n" + r.response() : r.response() + "\n\n" + passage;
            // a refusal with another answer's text beside it is no longer a plain refusal: only its harm label stays
            Boolean refusal = Boolean.TRUE.equals(r.refusal()) ? null : r.refusal();
            out.add(new GuardRecord(r.id() + "-dil", SOURCE, r.prompt(), diluted, null, r.responseHarmful(), refusal,
                    r.categories()));
        }
        return out;
    }

    /**
     * Whether {@code r}'s answer may lend passages to diluted copies: a harmless, non-refusing answer to a harmless
     * request, outside diasafety's context-dependent replies.
     */
    static boolean isPassageSource(GuardRecord r) {
        return r.response() != null && !"diasafety".equals(r.source()) && Boolean.FALSE.equals(r.promptHarmful())
                && Boolean.FALSE.equals(r.responseHarmful()) && !Boolean.TRUE.equals(r.refusal());
    }

    /**
     * Whole sentences of {@code answer} from a random one on, at least {@link #MIN_PASSAGE_WORDS} words where the
     * answer has them (the start is drawn among the sentences that leave that many), cut at {@link #MAX_PASSAGE_WORDS}.
     */
    static String passage(String answer, Random rnd) {
        List<List<String>> sentences = new ArrayList<>();
        for (String sentence : SENTENCE_END.split(answer.strip())) {
            List<String> words = new ArrayList<>();
            for (String w : SPACE.split(sentence.strip())) {
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
            sentences.add(words);
        }
        int starts = sentences.size();
        for (int remaining = 0; starts > 1 && remaining + sentences.get(starts - 1).size() < MIN_PASSAGE_WORDS; starts--) {
            remaining += sentences.get(starts - 1).size();
        }
        List<String> words = new ArrayList<>();
        for (int i = rnd.nextInt(starts); i < sentences.size() && words.size() < MIN_PASSAGE_WORDS; i++) {
            words.addAll(sentences.get(i));
        }
        return String.join(" ", words.subList(0, Math.min(words.size(), MAX_PASSAGE_WORDS)));
    }
}
