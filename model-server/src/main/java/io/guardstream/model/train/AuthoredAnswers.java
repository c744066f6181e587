package io.guardstream.model.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Answers written for this project to teach the response head to read what an answer provides, one set per class
 * path resource (format in each resource's header): requests, each with answers that help the harmful goal and
 * answers that do not.
 *
 * <p>Records carry no request label (the requests are of mixed intent and the sets are for the response head only).
 * Harmful answers are compliance; harmless answers carry no refusal label (some decline briefly before their
 * alternative) unless written as refusals ({@code R:} lines).
 */
public enum AuthoredAnswers {

    /**
     * Risky requests with harmful answers and harmless answers that are not plain refusals (safety information, the
     * lawful route, general facts, support). Outside diasafety's chit-chat the corpus labels every compliant answer to
     * a harmful request harmful, so the head could not tell a harmless answer from compliance.
     */
    CONTRASTIVE("contrastive-answers.txt"),

    /**
     * Jailbreak and role-play requests answered in the persona they set up (a "DAN", a guide, a grandmother, a
     * developer mode): compliance in that voice, and refusals in that voice. The refusal output knew refusals in an
     * assistant's voice only, so a persona's refusal read as compliance.
     */
    PERSONA("persona-answers.txt"),

    /**
     * Everyday requests in words that also name violence or crime ("bleed a radiator", "nail the interview"), answered
     * helpfully and with a harmful answer that takes the violent reading. The response head flagged helpful answers to
     * such requests, weighing the request's words rather than what the answer provides.
     */
    IDIOMS("idiom-answers.txt"),

    /**
     * Answers that open with a refusal and then take it back and comply ("That's the official line. Unofficially,
     * ..."), beside refusals with the same opening that hold. Both outputs of the response head read the opening and
     * scored such compliance harmless; GPTFuzz's refuse-then-rant answers, labelled refusals, teach the same.
     */
    RETRACTED("retracted-refusals.txt");

    private final String resource;

    AuthoredAnswers(String resource) {
        this.resource = resource;
    }

    /** The {@code TrainMain} flag that adds the set: its resource's name, e.g. {@code --contrastive-answers}. */
    public String flag() {
        return TrainResources.flag(resource);
    }

    /** The records' {@code source}, for {@code --source-weight}: e.g. {@code guardstream-contrastive-answers}. */
    public String source() {
        return TrainResources.source(resource);
    }

    /** The set a {@code TrainMain} flag names, or {@code null}. */
    public static AuthoredAnswers byFlag(String flag) {
        for (AuthoredAnswers set : values()) {
            if (set.flag().equals(flag)) {
                return set;
            }
        }
        return null;
    }

    /** The class path resource's records, in file order. */
    public List<GuardRecord> load() {
        return parse(TrainResources.read(resource));
    }

    /**
     * {@code [section]} lines, then blocks of {@code Q: request} followed by {@code H: harmful answer} lines and
     * {@code S: harmless answer} or {@code R: refusal} lines (at least one harmful and one harmless answer per
     * request); {@code #} starts a comment line.
     */
    List<GuardRecord> parse(String text) {
        List<GuardRecord> out = new ArrayList<>();
        String section = null;
        String request = null;
        int harmful = 0;
        int harmless = 0;
        int lineNo = 0;
        for (String raw : text.split("\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String header = TrainResources.sectionName(line);
            if (header != null) {
                requireComplete(request, harmful, harmless, lineNo);
                section = header;
                request = null;
            } else if (line.startsWith("Q:")) {
                requireComplete(request, harmful, harmless, lineNo);
                if (section == null) {
                    throw new IllegalArgumentException(resource + " line " + lineNo + ": a request needs a [section] above it");
                }
                request = text(line, lineNo);
                harmful = 0;
                harmless = 0;
            } else if (line.startsWith("H:") || line.startsWith("S:") || line.startsWith("R:")) {
                if (request == null) {
                    throw new IllegalArgumentException(resource + " line " + lineNo + ": an answer needs a Q: line above it");
                }
                boolean isHarmful = line.startsWith("H:");
                if (isHarmful) {
                    harmful++;
                } else {
                    harmless++;
                }
                Boolean refusal = isHarmful ? Boolean.FALSE : line.startsWith("R:") ? Boolean.TRUE : null;
                out.add(new GuardRecord(source() + "-" + out.size(), source(), request, text(line, lineNo), null, isHarmful,
                        refusal, List.of("section:" + section)));
            } else {
                throw new IllegalArgumentException(resource + " line " + lineNo + ": expected [section], Q:, H:, S: or R:, not: " + line);
            }
        }
        requireComplete(request, harmful, harmless, lineNo + 1);
        return out;
    }

    private String text(String line, int lineNo) {
        String text = line.substring(2).strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException(resource + " line " + lineNo + ": empty " + line.charAt(0) + ": line");
        }
        return text;
    }

    private void requireComplete(String request, int harmful, int harmless, int lineNo) {
        if (request != null && (harmful == 0 || harmless == 0)) {
            throw new IllegalArgumentException(resource + " before line " + lineNo
                    + ": every request needs at least one H: answer and one S: or R: answer: " + request);
        }
    }
}
