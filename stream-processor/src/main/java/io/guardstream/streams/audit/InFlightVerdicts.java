package io.guardstream.streams.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.guardstream.avro.GuardVerdict;

/** Summaries of the in-flight verdicts seen for one exchange, stored in {@value AuditTopology#INFLIGHT_STORE}. */
public record InFlightVerdicts(List<Summary> verdicts, long lastSeen) {

    public InFlightVerdicts {
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
    }

    /** What the audit needs of one verdict. */
    public record Summary(String verdictId, boolean requestHarmful, boolean responseHarmful, boolean error, Map<String, Double> categories) {
        public Summary {
            categories = categories == null ? Map.of() : Map.copyOf(categories);
        }

        static Summary of(GuardVerdict v) {
            return new Summary(v.getVerdictId(),
                    v.getRequest() != null && "harmful".equalsIgnoreCase(v.getRequest().getLabel()),
                    v.getResponse() != null && "harmful".equalsIgnoreCase(v.getResponse().getLabel()),
                    v.getError() != null, v.getCategories());
        }
    }

    public InFlightVerdicts plus(GuardVerdict verdict, long timestamp) {
        List<Summary> out = new ArrayList<>(verdicts);
        out.removeIf(s -> s.verdictId().equals(verdict.getVerdictId()));
        out.add(Summary.of(verdict));
        return new InFlightVerdicts(out, Math.max(lastSeen, timestamp));
    }
}
