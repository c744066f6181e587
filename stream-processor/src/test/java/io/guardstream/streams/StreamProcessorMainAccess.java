package io.guardstream.streams;

import java.util.Map;

import io.guardstream.streams.config.StreamProcessorConfig;

/** Test access to the command-line parsing of {@link StreamProcessorMain}. */
public final class StreamProcessorMainAccess {

    private StreamProcessorMainAccess() {
    }

    public static StreamProcessorConfig parse(String[] args, Map<String, String> env) {
        return StreamProcessorMain.parse(args, env);
    }
}
