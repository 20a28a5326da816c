package dev.switchboard.resolver.dns.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader for the few hundred bytes of a {@code grpc_config=} TXT record.
 * The module parses only the choice array of gRFC A2 itself; the chosen {@code serviceConfig} is
 * handed to the channel's parser as the exact source text, which {@link #source(Object)} returns, so
 * nothing is re-serialized and the module needs no JSON library.
 *
 * <p>Values: {@code Map<String, Object>} (insertion order), {@code List<Object>}, {@code String},
 * {@code Double}, {@code Boolean} and {@link #NULL}.
 *
 * <p>Not thread-safe: one instance per parse.
 */
final class Json {

  /** JSON {@code null}. */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** Thrown for malformed JSON; the message names the position and what was expected. */
  static final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    JsonException(String message) {
      super(message);
    }
  }

  private final String text;
  private final Map<Object, String> sources = new IdentityHashMap<>();
  private int pos;
  private Object root;

  private Json(String text) {
    this.text = text;
  }

  /** Parses one JSON value that makes up the whole of {@code text}. */
  static Json parse(String text) throws JsonException {
    Json json = new Json(text);
    json.root = json.value();
    json.skipSpace();
    if (json.pos != text.length()) {
      throw json.error("end of input");
    }
    return json;
  }

  /** Returns the top-level value. */
  Object root() {
    return root;
  }

  /** Returns the source text of an object or array that this parse produced. */
  String source(Object objectOrArray) {
    String s = sources.get(objectOrArray);
    if (s == null) {
      throw new IllegalArgumentException("not an object or array of this document: " + objectOrArray);
    }
    return s;
  }

  private Object value() throws JsonException {
    skipSpace();
    if (pos >= text.length()) {
      throw error("a value");
    }
    char c = text.charAt(pos);
    int start = pos;
    switch (c) {
      case '{': {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (!consume('}')) {
          do {
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != '"') {
              throw error("a member name in double quotes");
            }
            String key = string();
            skipSpace();
            expect(':');
            if (map.put(key, value()) != null) {
              throw new JsonException("duplicate member \"" + key + "\" at offset " + pos);
            }
            skipSpace();
          } while (consume(','));
          expect('}');
        }
        Map<String, Object> result = Collections.unmodifiableMap(map);
        sources.put(result, text.substring(start, pos));
        return result;
      }
      case '[': {
        List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (!consume(']')) {
          do {
            list.add(value());
            skipSpace();
          } while (consume(','));
          expect(']');
        }
        List<Object> result = Collections.unmodifiableList(list);
        sources.put(result, text.substring(start, pos));
        return result;
      }
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", NULL);
      default:
        return number();
    }
  }

  private Object literal(String word, Object value) throws JsonException {
    if (!text.startsWith(word, pos)) {
      throw error("a value");
    }
    pos += word.length();
    return value;
  }

  private Double number() throws JsonException {
    int start = pos;
    consume('-');
    if (!consume('0')) {
      digits();
    }
    if (consume('.')) {
      digits();
    }
    if (consume('e') || consume('E')) {
      if (!consume('+')) {
        consume('-');
      }
      digits();
    }
    return Double.valueOf(text.substring(start, pos));
  }

  private void digits() throws JsonException {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == start) {
      throw error("a digit");
    }
  }

  private String string() throws JsonException {
    pos++; // the opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("a closing '\"'");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw new JsonException("control character in a string at offset " + (pos - 1));
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("an escape");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("four hex digits");
          }
          try {
            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("four hex digits");
          }
          pos += 4;
        }
        default -> throw new JsonException("bad escape '\\" + e + "' at offset " + (pos - 2));
      }
    }
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private boolean consume(char c) {
    if (pos < text.length() && text.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) throws JsonException {
    if (!consume(c)) {
      throw error("'" + c + "'");
    }
  }

  private JsonException error(String expected) {
    String found = pos >= text.length() ? "end of input" : "'" + text.charAt(pos) + "'";
    return new JsonException("at offset " + pos + ": " + found + " (expected: " + expected + ")");
  }
}
