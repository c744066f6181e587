package io.guardstream.model;

import java.util.List;

/**
 * One thing to judge: a user request (text and images) and optionally the assistant's response.
 *
 * @param id        caller's id, echoed in the result
 * @param request   the user's turn
 * @param response  the assistant's turn, or {@code null} when only the request is judged
 * @param reasoning whether to build reasoning steps (costs extra encoder passes for span attribution)
 */
public record GuardItem(String id, Request request, Response response, boolean reasoning) {

    /** The user's turn; images are carried for the image guard and not judged by the text guard. */
    public record Request(String text, List<Image> images) {
        public Request {
            images = images == null ? List.of() : List.copyOf(images);
        }
    }

    /** An image given inline (decoded bytes) or by URL. */
    public record Image(byte[] data, String url) {
    }

    public record Response(String text) {
    }
}
