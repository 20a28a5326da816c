package dev.switchboard.channel.api;

/**
 * Quotes a piece of input for an error message or a {@link Status} description, so that input of
 * any size or content (a 10 MB policy name, a target with control characters) yields a short,
 * printable, single-line message.
 *
 * <p>{@link #quote} puts the value in single quotes, escapes control characters, quotes and
 * backslashes as {@code \n}, {@code \'}, {@code \\} or {@code \}{@code uXXXX}, and cuts a value
 * longer than {@value #MAX_QUOTED_CHARS} characters, saying how long it was:
 * {@code 'aaaa…' (10485760 characters)}. The channel quotes every piece of input it echoes this
 * way; plugins should too. {@link #cut} bounds a whole message from elsewhere (a parser's, a
 * plugin's) that goes inside another.
 *
 * <p>Thread-safe (stateless).
 *
 * @since 0.1
 */
public final class ErrorText {

  /** The most characters of a value that {@link #quote} shows. */
  public static final int MAX_QUOTED_CHARS = 100;

  /** The most characters of a message that {@link #cut} keeps. */
  public static final int MAX_MESSAGE_CHARS = 200;

  private ErrorText() {}

  /**
   * Returns {@code value} in single quotes, escaped and cut to {@value #MAX_QUOTED_CHARS}
   * characters; {@code 'null'} without quotes for {@code null}.
   */
  public static String quote(CharSequence value) {
    if (value == null) {
      return "null";
    }
    int length = value.length();
    int shown = Math.min(length, MAX_QUOTED_CHARS);
    if (shown > 0 && shown < length && Character.isHighSurrogate(value.charAt(shown - 1))) {
      shown--; // do not split a surrogate pair
    }
    StringBuilder out = new StringBuilder(shown + 32).append('\'');
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\'':
        case '\\':
          out.append('\\').append(c);
          break;
        default:
          if (Character.isISOControl(c) || isUnpairedSurrogate(value, i, shown)
              || Character.getType(c) == Character.LINE_SEPARATOR
              || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    if (shown < length) {
      return out.append("…' (").append(length).append(" characters)").toString();
    }
    return out.append('\'').toString();
  }

  /**
   * Returns {@code message} (a message from elsewhere: a parser's, a plugin's), cut to {@value
   * #MAX_MESSAGE_CHARS} characters with its length said, so that it stays readable inside another.
   */
  public static String cut(String message) {
    if (message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    int end = MAX_MESSAGE_CHARS;
    if (Character.isHighSurrogate(message.charAt(end - 1))) {
      end--;
    }
    return message.substring(0, end) + "… (" + message.length() + " characters)";
  }

  private static boolean isUnpairedSurrogate(CharSequence s, int i, int end) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= end || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }
}
