package io.guardstream.guardapi;

import java.util.List;
import java.util.Objects;

/**
 * One item of a {@code POST /v1/guard/batch} call: the request (text and images) and, optionally, the response.
 *
 * @param responseText null when only the request is judged
 * @param reasoning    false asks the guard to skip its reasoning steps (faster)
 */
public record GuardItem(String id, String requestText, List<Image> images, String responseText, boolean reasoning) {

    public GuardItem {
        Objects.requireNonNull(id, "id");
        requestText = requestText == null ? "" : requestText;
        images = images == null ? List.of() : List.copyOf(images);
    }

    public GuardItem(String id, String requestText, List<Image> images, String responseText) {
        this(id, requestText, images, responseText, true);
    }

    /** An image given either as base64 data or as a URL. */
    public record Image(String data, String url) {
        public static Image ofData(String base64) {
            return new Image(base64, null);
        }

        public static Image ofUrl(String url) {
            return new Image(null, url);
        }
    }
}
