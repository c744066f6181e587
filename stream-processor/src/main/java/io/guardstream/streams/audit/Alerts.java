package io.guardstream.streams.audit;

import java.time.Duration;

import io.guardstream.avro.AlertKind;

final class Alerts {

    private Alerts() {
    }

    /** Stable per (kind, tenant, subject, window), so a redelivered alert can be recognised. */
    static String alertId(AlertKind kind, String tenant, String subject, long windowStart) {
        return kind.name().toLowerCase() + ":" + tenant + (subject == null ? "" : ":" + subject) + ":" + windowStart;
    }

    static String human(Duration d) {
        if (d.toSeconds() % 3600 == 0) {
            return d.toHours() + " h";
        }
        if (d.toSeconds() % 60 == 0) {
            return d.toMinutes() + " min";
        }
        return d.toSeconds() + " s";
    }
}
