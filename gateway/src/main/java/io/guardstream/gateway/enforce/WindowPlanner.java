package io.guardstream.gateway.enforce;

/**
 * Cuts a growing text (a streamed answer) into windows of {@code windowChars} that repeat the last
 * {@code overlapChars} of the previous window, so a phrase that straddles a boundary is judged whole in
 * the next window. Not thread-safe: one instance per stream, used on its event loop.
 *
 * <p>Window {@code i} covers {@code [i * step, i * step + windowChars)} with {@code step = windowChars - overlapChars};
 * the text a window releases to the client is what no later window will see again first, i.e. up to the
 * start of the next window.
 */
public final class WindowPlanner {

  /** One window to judge. {@code releaseEnd} is the end of the text that may go out once this window is safe. */
  public record Window(int index, int start, int end, int releaseEnd, boolean last) {
  }

  private final int windowChars;
  private final int step;
  private final StringBuilder text = new StringBuilder();
  private int nextIndex;

  public WindowPlanner(int windowChars, int overlapChars) {
    if (windowChars <= 0 || overlapChars < 0 || overlapChars >= windowChars) {
      throw new IllegalArgumentException("need 0 <= overlap < window, got window " + windowChars + ", overlap " + overlapChars);
    }
    this.windowChars = windowChars;
    this.step = windowChars - overlapChars;
  }

  /** Appends streamed text; then ask {@link #nextFull()} for the windows it completed. */
  public void append(CharSequence delta) {
    text.append(delta);
  }

  /** The next full window, or null when the text does not fill one yet. */
  public Window nextFull() {
    int start = nextIndex * step;
    int end = start + windowChars;
    if (text.length() < end) {
      return null;
    }
    return new Window(nextIndex++, start, end, start + step, false);
  }

  /**
   * At end of stream: the window over the text no full window covered, or null when every character
   * was already inside a judged window (the caller then releases the rest as it is).
   */
  public Window tail() {
    int start = nextIndex * step;
    int judgedUntil = nextIndex == 0 ? 0 : start + (windowChars - step);
    if (text.length() <= judgedUntil) {
      return null;
    }
    return new Window(nextIndex++, start, text.length(), text.length(), true);
  }

  public String text(Window window) {
    return text.substring(window.start(), window.end());
  }

  public int length() {
    return text.length();
  }
}
