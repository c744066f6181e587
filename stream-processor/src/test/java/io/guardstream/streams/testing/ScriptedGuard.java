package io.guardstream.streams.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.guardstream.streams.guard.GuardClient;
import io.guardstream.guardapi.GuardItem;
import io.guardstream.guardapi.GuardResult;
import io.guardstream.guardapi.Priority;
import io.guardstream.streams.guard.GuardUnavailableException;

/** A guard for topology tests: text containing "bomb" is harmful (violence), anything else is not. */
public final class ScriptedGuard implements GuardClient {

    public final List<List<GuardItem>> batches = new CopyOnWriteArrayList<>();
    /** The priority of each call, parallel to {@link #batches}. */
    public final List<Priority> priorities = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    public ScriptedGuard down(boolean value) {
        this.down = value;
        return this;
    }

    public static GuardResult decide(GuardItem item) {
        boolean request = harmful(item.requestText());
        GuardResult.Label response = item.responseText() == null ? null
                : new GuardResult.Label(harmful(item.responseText()) ? "harmful" : "unharmful", harmful(item.responseText()) ? 0.93 : 0.04);
        GuardResult.Label refusal = item.responseText() == null ? null : new GuardResult.Label("compliance", 0.1);
        boolean any = request || (response != null && response.is("harmful"));
        return new GuardResult(item.id(), "scripted-guard",
                new GuardResult.Label(request ? "harmful" : "unharmful", request ? 0.97 : 0.02), response, refusal,
                any ? Map.of("violence", 0.91, "hate", 0.1) : Map.of("violence", 0.01),
                any ? "1. The text asks about a bomb (violence 0.91).\nRequest: harmful" : "1. Nothing harmful found.\nRequest: unharmful",
                1.5);
    }

    private static boolean harmful(String text) {
        return text != null && text.toLowerCase(Locale.ROOT).contains("bomb");
    }

    @Override
    public List<GuardResult> judge(List<GuardItem> items, Priority priority) {
        batches.add(List.copyOf(items));
        priorities.add(priority);
        if (down) {
            throw new GuardUnavailableException("unreachable", "scripted guard is down");
        }
        List<GuardResult> out = new ArrayList<>();
        items.forEach(i -> out.add(decide(i)));
        return out;
    }
}
