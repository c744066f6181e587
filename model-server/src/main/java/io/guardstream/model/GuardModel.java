package io.guardstream.model;

import io.guardstream.model.encoder.BertEncoder;
import io.guardstream.model.encoder.Precision;
import io.guardstream.model.encoder.TextEmbedder;
import io.guardstream.model.encoder.TextEmbedder.Embedded;
import io.guardstream.model.heads.Categories;
import io.guardstream.model.heads.GuardHeads;
import io.guardstream.model.reasoning.Evidence;
import io.guardstream.model.reasoning.ReasoningBuilder;
import io.guardstream.model.tokenizer.Encoding;
import io.guardstream.model.tokenizer.WordPieceTokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text guard: MiniLM encoder (TF Java) plus trained heads. Judges a batch of items in one pass; long texts are
 * covered by overlapping windows and scored by the highest of the whole-text and per-window scores (for responses, a
 * short last window is checked against a full-length one; see scoreResponse).
 *
 * <p>Owns its encoder; {@link #close()} releases it. {@link #check} is thread-safe.
 */
public final class GuardModel implements AutoCloseable {

    private static final int TOP_CATEGORIES = 3;
    private static final int TOP_SPANS = 3;
    private static final float MIN_SPAN_DROP = 0.02f;

    private final BertEncoder encoder;
    private final TextEmbedder embedder;
    private final GuardHeads heads;
    private final int maxSpans;

    public GuardModel(BertEncoder encoder, GuardHeads heads, int windowTokens, int overlapTokens, int encoderBatch,
                      int maxSpans) {
        if (heads.encoder() != encoder.base()) {
            throw new IllegalArgumentException("the heads score " + heads.encoder().id() + " vectors, not "
                    + encoder.base().id() + " vectors");
        }
        this.encoder = encoder;
        this.embedder = new TextEmbedder(encoder, windowTokens, overlapTokens, encoderBatch);
        this.heads = heads;
        this.maxSpans = maxSpans;
    }

    public String name() {
        return "guardstream-" + heads.version();
    }

    /** The encoder's resolved precision. */
    public Precision precision() {
        return encoder.precision();
    }

    public GuardHeads heads() {
        return heads;
    }

    public WordPieceTokenizer tokenizer() {
        return embedder.tokenizer();
    }

    /** Judges every item; results are in item order. */
    public List<GuardResult> check(List<GuardItem> items) {
        long t0 = System.nanoTime();
        List<List<Encoding>> windows = new ArrayList<>();
        List<Encoding> tails = new ArrayList<>();
        for (GuardItem it : items) {
            addRequest(it.request().text(), windows, tails);
            if (it.response() != null) {
                addResponse(it.response().text(), windows, tails);
            }
        }
        List<Embedded> emb = embedder.embedEncodings(windows, tails);
        List<GuardResult> out = new ArrayList<>(items.size());
        int k = 0;
        for (GuardItem it : items) {
            Embedded req = emb.get(k++);
            Embedded resp = it.response() != null ? emb.get(k++) : null;
            out.add(judge(it, req, resp, t0));
        }
        return out;
    }

    /** A request's windows; requests are scored over their windows as they are (no tail window). */
    private void addRequest(String text, List<List<Encoding>> windows, List<Encoding> tails) {
        windows.add(embedder.windows(text, 0));
        tails.add(null);
    }

    /** A response's windows, with its full-length tail window where its last window is short (see scoreResponse). */
    private void addResponse(String text, List<List<Encoding>> windows, List<Encoding> tails) {
        List<Encoding> w = embedder.windows(text, 0);
        windows.add(w);
        tails.add(embedder.fullTail(text, w));
    }

    private GuardResult judge(GuardItem it, Embedded req, Embedded resp, long t0) {
        Scored r = scoreRequest(req);
        Map<String, Float> categories = categories(r.categories);
        GuardResult.Verdict request = new GuardResult.Verdict(
                r.score >= heads.requestThreshold() ? "harmful" : "unharmful", r.score);
        GuardResult.Verdict response = null;
        GuardResult.Verdict refusal = null;
        ScoredResponse s = null;
        if (resp != null) {
            s = scoreResponse(req.mean(), resp);
            response = new GuardResult.Verdict(s.harm() >= heads.responseThreshold() ? "harmful" : "unharmful", s.harm());
            refusal = new GuardResult.Verdict(s.refusal >= heads.refusalThreshold() ? "refusal" : "compliance", s.refusal);
        }
        String reasoning = it.reasoning() ? reasoning(it, r, req, s, categories) : null;
        long latency = (System.nanoTime() - t0) / 1_000_000;
        return new GuardResult(it.id(), name(), request, response, refusal, categories, reasoning, latency);
    }

    private record Scored(float score, int bestWindow, int windows, Map<String, Float> categories) {
    }

    private record ScoredResponse(float content, float refusal, int bestWindow, int windows) {
        /** The verdict's score: {@link GuardHeads#responseHarm} of the content harm and the refusal score. */
        float harm() {
            return GuardHeads.responseHarm(content, refusal);
        }
    }

    private Scored scoreRequest(Embedded e) {
        GuardHeads.RequestScores best = heads.scoreRequest(e.mean(), contentIds(e.encodings()));
        int bestWindow = 0;
        if (e.windows().length > 1) {
            bestWindow = -1;
            for (int w = 0; w < e.windows().length; w++) {
                GuardHeads.RequestScores s = heads.scoreRequest(e.windows()[w], contentIds(List.of(e.encodings().get(w))));
                if (s.harm() > best.harm()) {
                    best = s;
                    bestWindow = w;
                }
            }
            if (bestWindow < 0) {
                bestWindow = 0;
            }
        }
        return new Scored(best.harm(), bestWindow, e.windows().length, best.categories());
    }

    /**
     * The highest of the whole-response and per-window harm scores. A short last window counts only as far as the
     * full-length window ending at the same place agrees (the lower of the two): a fragment of the last few
     * sentences, cut mid-sentence, flagged harmless answers on its own, while harmful text at the end is in both.
     * The verdict's score weighs that content harm by the whole response's refusal score
     * ({@link GuardHeads#responseHarm}).
     */
    private ScoredResponse scoreResponse(float[] prompt, Embedded e) {
        GuardHeads.ResponseScores whole = heads.scoreResponse(prompt, e.mean());
        float harm = whole.harm();
        int bestWindow = 0;
        if (e.windows().length > 1) {
            int last = e.windows().length - 1;
            for (int w = 0; w < e.windows().length; w++) {
                float h = heads.scoreResponse(prompt, e.windows()[w]).harm();
                if (w == last && e.fullTail() != null) {
                    h = Math.min(h, heads.scoreResponse(prompt, e.fullTail()).harm());
                }
                if (h > harm) {
                    harm = h;
                    bestWindow = w;
                }
            }
        }
        return new ScoredResponse(harm, whole.refusal(), bestWindow, e.windows().length);
    }

    /** Word-piece ids of the windows without special tokens or the first segment of a pair. */
    static int[] contentIds(List<Encoding> windows) {
        int n = 0;
        for (Encoding w : windows) {
            n += w.length();
        }
        int[] out = new int[n];
        int k = 0;
        for (Encoding w : windows) {
            for (int i = 0; i < w.length(); i++) {
                if (w.charStarts()[i] >= 0) {
                    out[k++] = w.ids()[i];
                }
            }
        }
        return java.util.Arrays.copyOf(out, k);
    }

    /** All OpenAI categories: trained ones from the head, the others inherit their parent's score. */
    private static Map<String, Float> categories(Map<String, Float> trained) {
        Map<String, Float> all = new LinkedHashMap<>();
        for (String c : Categories.OPENAI) {
            Float v = trained.get(c);
            if (v == null) {
                v = trained.getOrDefault(Categories.PARENT.get(c), 0f);
            }
            all.put(c, v);
        }
        return all;
    }

    private String reasoning(GuardItem it, Scored r, Embedded req, ScoredResponse s, Map<String, Float> categories) {
        List<Evidence.Score> top = new ArrayList<>();
        categories.entrySet().stream()
                .filter(en -> Categories.TRAINED.contains(en.getKey()))
                .sorted(Map.Entry.<String, Float>comparingByValue().reversed())
                .limit(TOP_CATEGORIES)
                .forEach(en -> top.add(new Evidence.Score(en.getKey(), en.getValue())));

        List<Segment> reqSegs = segments(it.request().text());
        List<Segment> respSegs = s != null ? segments(it.response().text()) : List.of();
        List<List<Encoding>> variants = new ArrayList<>();
        List<Encoding> tails = new ArrayList<>();
        for (Segment seg : reqSegs) {
            addRequest(seg.without, variants, tails);
        }
        for (Segment seg : respSegs) {
            addResponse(seg.without, variants, tails);
        }
        List<Embedded> occluded = variants.isEmpty() ? List.of() : embedder.embedEncodings(variants, tails);
        List<Evidence.Span> reqSpans = new ArrayList<>();
        for (int i = 0; i < reqSegs.size(); i++) {
            float drop = r.score - scoreRequest(occluded.get(i)).score;
            reqSpans.add(new Evidence.Span(reqSegs.get(i).text, drop));
        }
        Evidence.Task reqTask = new Evidence.Task(r.score, heads.requestThreshold(), r.windows, r.bestWindow, top(reqSpans));
        Evidence.Response respTask = null;
        if (s != null) {
            List<Evidence.Span> harmSpans = new ArrayList<>();
            List<Evidence.Span> cues = new ArrayList<>();
            for (int i = 0; i < respSegs.size(); i++) {
                ScoredResponse o = scoreResponse(req.mean(), occluded.get(reqSegs.size() + i));
                harmSpans.add(new Evidence.Span(respSegs.get(i).text, s.harm() - o.harm()));
                cues.add(new Evidence.Span(respSegs.get(i).text, s.refusal - o.refusal));
            }
            respTask = new Evidence.Response(
                    new Evidence.Task(s.harm(), heads.responseThreshold(), s.windows, s.bestWindow, top(harmSpans)),
                    s.content, new Evidence.Refusal(s.refusal, heads.refusalThreshold(), top(cues)));
        }
        return ReasoningBuilder.build(new Evidence(reqTask, respTask, top, it.request().images().size()));
    }

    private static List<Evidence.Span> top(List<Evidence.Span> spans) {
        return spans.stream()
                .filter(sp -> sp.drop() >= MIN_SPAN_DROP)
                .sorted(Comparator.comparingDouble(Evidence.Span::drop).reversed())
                .limit(TOP_SPANS)
                .toList();
    }

    private record Segment(String text, String without) {
    }

    /** Up to {@code maxSpans} runs of consecutive words, each with the text that remains when it is masked. */
    private List<Segment> segments(String text) {
        List<int[]> words = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                words.add(new int[] {start, i});
            }
        }
        if (words.size() < 2 || maxSpans <= 0) {
            return List.of();
        }
        int per = (words.size() + maxSpans - 1) / maxSpans;
        List<Segment> out = new ArrayList<>();
        for (int w = 0; w < words.size(); w += per) {
            int start = words.get(w)[0];
            int end = words.get(Math.min(words.size(), w + per) - 1)[1];
            out.add(new Segment(text.substring(start, end), text.substring(0, start) + " " + text.substring(end)));
        }
        return out;
    }

    /** Runs a small batch through the whole pipeline so the first real request does not pay graph set-up. */
    public void warmUp() {
        check(List.of(
                new GuardItem("warm-1", new GuardItem.Request("How do I bake bread at home?", List.of()), null, true),
                new GuardItem("warm-2", new GuardItem.Request("Tell me a story.", List.of()),
                        new GuardItem.Response("Once upon a time there was a fox."), true)));
    }

    @Override
    public void close() {
        encoder.close();
    }
}
