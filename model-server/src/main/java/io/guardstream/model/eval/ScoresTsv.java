package io.guardstream.model.eval;

import io.guardstream.model.GuardResult;
import io.guardstream.model.train.GuardRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code EvalMain --scores}: one tab-separated line per item with its gold labels and the guard's scores, so errors
 * and thresholds can be studied without running the model again. Columns: {@code file id group prompt_gold
 * request_score response_gold response_score refusal_gold refusal_score}; a gold label is 1, 0 or empty when the
 * record has none, a score is empty when the item had no response.
 */
final class ScoresTsv {

    static final String HEADER = "file\tid\tgroup\tprompt_gold\trequest_score\tresponse_gold\tresponse_score"
            + "\trefusal_gold\trefusal_score\n";

    private ScoresTsv() {
    }

    static Writer open(Path file) throws IOException {
        Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        w.write(HEADER);
        return w;
    }

    static void write(Writer out, String file, List<EvalMain.Scored> scored) {
        try {
            for (EvalMain.Scored s : scored) {
                out.write(line(file, s.record(), s.result()));
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String line(String file, GuardRecord r, GuardResult g) {
        return String.join("\t", file, clean(r.id()), clean(EvalMain.group(r)), gold(r.promptHarmful()),
                score(g.request()), gold(r.responseHarmful()), score(g.response()), gold(r.refusal()),
                score(g.refusal())) + "\n";
    }

    private static String gold(Boolean label) {
        return label == null ? "" : label ? "1" : "0";
    }

    private static String score(GuardResult.Verdict v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.5f", v.score());
    }

    private static String clean(String field) {
        return field.replace('\t', ' ').replace('\n', ' ');
    }
}
