package io.guardstream.model.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Answers written for this project to teach the response head to read what an answer provides: risky requests, each
 * with answers that help the harmful goal and answers that do not (safety information, the lawful route, general
 * facts, support) without being plain refusals. Outside diasafety's chit-chat the corpus labels every compliant answer
 * to a harmful request harmful, so the head could not tell a harmless answer from compliance.
 *
 * <p>Records carry no request label (the requests are of mixed intent and the set is for the response head only) and
 * no refusal label for the harmless answers (some decline briefly before their alternative).
 */
public final class AuthoredAnswers {

    /** The {@code TrainMain} flag that adds the set. */
    public static final String FLAG = "--contrastive-answers";
    /** The records' {@code source}, for {@code --source-weight}. */
    public static final String SOURCE = "guardstream-contrastive-answers";
    static final String RESOURCE = "contrastive-answers.txt";

    private AuthoredAnswers() {
    }

    /** The class path resource's records, in file order. */
    public static List<GuardRecord> load() {
        return parse(TrainResources.read(RESOURCE));
    }

    /**
     * {@code [section]} lines, then blocks of {@code Q: request} followed by {@code H: harmful answer} and
     * {@code S: harmless answer} lines (at least one of each per request); {@code #} starts a comment line.
     */
    static List<GuardRecord> parse(String text) {
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
                    throw new IllegalArgumentException(RESOURCE + " line " + lineNo + ": a request needs a [section] above it");
                }
                request = text(line, lineNo);
                harmful = 0;
                harmless = 0;
            } else if (line.startsWith("H:") || line.startsWith("S:")) {
                if (request == null) {
                    throw new IllegalArgumentException(RESOURCE + " line " + lineNo + ": an answer needs a Q: line above it");
                }
                boolean isHarmful = line.startsWith("H:");
                if (isHarmful) {
                    harmful++;
                } else {
                    harmless++;
                }
                out.add(new GuardRecord(SOURCE + "-" + out.size(), SOURCE, request, text(line, lineNo), null, isHarmful,
                        isHarmful ? Boolean.FALSE : null, List.of("section:" + section)));
            } else {
                throw new IllegalArgumentException(RESOURCE + " line " + lineNo + ": expected [section], Q:, H: or S:, not: " + line);
            }
        }
        requireComplete(request, harmful, harmless, lineNo + 1);
        return out;
    }

    private static String text(String line, int lineNo) {
        String text = line.substring(2).strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException(RESOURCE + " line " + lineNo + ": empty " + line.charAt(0) + ": line");
        }
        return text;
    }

    private static void requireComplete(String request, int harmful, int harmless, int lineNo) {
        if (request != null && (harmful == 0 || harmless == 0)) {
            throw new IllegalArgumentException(RESOURCE + " before line " + lineNo
                    + ": every request needs at least one H: and one S: answer: " + request);
        }
    }
}
