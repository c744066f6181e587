package io.guardstream.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Short requests with passages of harmless text put before or after them, the way people paste a document, an email
 * or notes and then ask about it. Without them the guard read long harmless context as a cue: a benign question after
 * a few paragraphs of gardening and travel advice was flagged twice as often as the question alone, and a harmful
 * one after the same paragraphs was missed more often. As many benign as harmful requests are diluted, each copy keeps
 * its request's label, so the added text is no evidence either way and the request decides.
 *
 * <p>Only requests to an assistant are diluted: the comment and post corpora (tweets, forum posts, statements about
 * groups) are left out. Drawn from them, most harmful copies were toxic tweets under pasted paragraphs and the encoder
 * learned that context raises a request's score (session 28's run e6b3hdr).
 *
 * <p>The passages are whole sentences of the answers {@link DilutedAnswers} draws its passages from
 * ({@link DilutedAnswers#isPassageSource}, {@link DilutedAnswers#passage}); the copies have no response.
 */
public final class DilutedRequests {

    /** The {@code TrainMain} flag that adds the copies. */
    public static final String FLAG = "--diluted-requests";
    /** The copies' {@code source}, for {@code --source-weight}. */
    public static final String SOURCE = "guardstream-diluted-requests";
    /** Requests this long or shorter are diluted (longer ones already carry their own context). */
    static final int MAX_PROMPT_CHARS = 400;
    /** Passages of 25-70 words each: one to three of them, so the copies span one to three windows. */
    static final int MAX_PASSAGES = 3;
    /** Share of copies with the passages before the request, as in a pasted document followed by a question. */
    static final double BEFORE = 0.8;
    /** Corpora of comments and posts rather than requests to an assistant: not diluted. */
    static final Set<String> COMMENT_SOURCES = Set.of("davidson", "olid", "toxic-spans", "stormfront", "ethos",
            "convabuse", "toxigen-prompts");

    private DilutedRequests() {
    }

    /**
     * Diluted copies of up to {@code perLabel} harmful and as many benign short requests to an assistant of
     * {@code records} (a seeded draw; the smaller label set sets the count), the passages drawn from {@code records}'
     * harmless answers to harmless requests.
     */
    public static List<GuardRecord> balanced(List<GuardRecord> records, int perLabel, long seed) {
        List<GuardRecord> harmful = new ArrayList<>();
        List<GuardRecord> benign = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (GuardRecord r : records) {
            if (r.promptHarmful() != null && r.response() == null && r.prompt().length() <= MAX_PROMPT_CHARS
                    && !COMMENT_SOURCES.contains(r.source())) {
                (r.promptHarmful() ? harmful : benign).add(r);
            }
            if (DilutedAnswers.isPassageSource(r)) {
                answers.add(r.response());
            }
        }
        if (answers.isEmpty()) {
            return List.of();
        }
        List<GuardRecord> out = new ArrayList<>();
        for (GuardRecord r : BalancedDraw.of(harmful, benign, perLabel, seed)) {
            // spread the seed: java.util.Random's first draws from nearby seeds (ids differing in a digit) correlate
            Random rnd = new Random((seed * 37 + r.id().hashCode()) * 0x9E3779B97F4A7C15L);
            List<String> passages = new ArrayList<>();
            for (int n = 1 + rnd.nextInt(MAX_PASSAGES); passages.size() < n; ) {
                String passage = DilutedAnswers.passage(answers.get(rnd.nextInt(answers.size())), rnd);
                if (passage.isEmpty()) {
                    break;
                }
                passages.add(passage);
            }
            if (passages.isEmpty()) {
                continue;
            }
            String context = String.join(" ", passages);
            String diluted = rnd.nextDouble() < BEFORE ? context + "\n\n" + r.prompt() : r.prompt() + "\n\n" + context;
            out.add(new GuardRecord(r.id() + "-dilreq", SOURCE, diluted, null, r.promptHarmful(), null, null,
                    r.categories()));
        }
        return out;
    }
}
