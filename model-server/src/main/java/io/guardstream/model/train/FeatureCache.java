package io.guardstream.model.train;

import io.guardstream.model.encoder.BertEncoder;
import io.guardstream.model.encoder.TextEmbedder;
import io.guardstream.model.tokenizer.Encoding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Frozen-encoder sentence vectors keyed by the SHA-1 of the text, kept in an append-only file so an
 * interrupted extraction resumes where it stopped. Each text's vector is the mean over its windows
 * (at most {@code maxWindows}).
 */
public final class FeatureCache {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);

    private final Path file;
    private final Map<String, float[]> vectors = new HashMap<>();

    public FeatureCache(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
                while (true) {
                    String key;
                    try {
                        key = in.readUTF();
                    } catch (EOFException e) {
                        break;
                    }
                    float[] v = new float[BertEncoder.HIDDEN];
                    try {
                        for (int k = 0; k < v.length; k++) {
                            v[k] = in.readFloat();
                        }
                    } catch (EOFException e) {
                        break;
                    }
                    vectors.put(key, v);
                }
            }
            LOG.info("feature cache {}: {} vectors", file, vectors.size());
        }
    }

    public static String key(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public float[] get(String text) {
        return vectors.get(key(text));
    }

    /** Adds a vector without writing it to the file (tests, pre-computed vectors). */
    void put(String text, float[] vector) {
        vectors.put(key(text), vector);
    }

    public int size() {
        return vectors.size();
    }

    /** Embeds every text not yet cached, appending to the file in chunks. */
    public void ensure(List<String> texts, TextEmbedder embedder, int maxWindows) throws IOException {
        LinkedHashSet<String> missing = new LinkedHashSet<>();
        for (String t : texts) {
            if (!vectors.containsKey(key(t))) {
                missing.add(t);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        LOG.info("embedding {} texts ({} cached)", missing.size(), vectors.size());
        List<String> todo = new ArrayList<>(missing);
        long t0 = System.nanoTime();
        int chunk = 512;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 20))) {
            for (int s = 0; s < todo.size(); s += chunk) {
                List<String> part = todo.subList(s, Math.min(todo.size(), s + chunk));
                List<List<Encoding>> windows = new ArrayList<>(part.size());
                for (String t : part) {
                    windows.add(embedder.windows(t, maxWindows));
                }
                List<TextEmbedder.Embedded> emb = embedder.embedEncodings(windows);
                for (int i = 0; i < part.size(); i++) {
                    String key = key(part.get(i));
                    float[] v = emb.get(i).mean();
                    out.writeUTF(key);
                    for (float f : v) {
                        out.writeFloat(f);
                    }
                    vectors.put(key, v);
                }
                out.flush();
                double secs = (System.nanoTime() - t0) / 1e9;
                int done = Math.min(todo.size(), s + chunk);
                LOG.info("embedded {}/{} texts, {} texts/s", done, todo.size(), String.format("%.1f", done / secs));
            }
        }
    }
}
