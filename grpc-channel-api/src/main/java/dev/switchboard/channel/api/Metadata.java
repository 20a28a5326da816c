package dev.switchboard.channel.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Headers or trailers of a call: an ordered multimap from lower-case key names to values.
 *
 * <p>Keys ending in {@code -bin} carry binary values (base64 on the wire); all other keys carry
 * printable ASCII values. Pseudo-headers ({@code :path}) and the headers the transport owns
 * ({@code content-type}, {@code te}, {@code grpc-timeout}, …) are not user metadata; the transport
 * drops them from what it sends.
 *
 * <p>Not thread-safe: a {@code Metadata} belongs to one call at a time. A picker may add headers
 * to the {@linkplain dev.switchboard.channel.api.balancer.PickInfo#headers() headers of the call it
 * picks for}.
 *
 * @since 0.1
 */
public final class Metadata {

  /** The suffix that marks a binary key. */
  public static final String BINARY_SUFFIX = "-bin";

  /** Marshals a string as itself; the string must be printable ASCII. */
  public static final AsciiMarshaller<String> ASCII_STRING_MARSHALLER =
      new AsciiMarshaller<>() {
        @Override
        public String toAsciiString(String value) {
          return value;
        }

        @Override
        public String parseAsciiString(String serialized) {
          return serialized;
        }
      };

  /** Marshals a byte array as itself. */
  public static final BinaryMarshaller<byte[]> BINARY_BYTE_MARSHALLER =
      new BinaryMarshaller<>() {
        @Override
        public byte[] toBytes(byte[] value) {
          return value;
        }

        @Override
        public byte[] parseBytes(byte[] serialized) {
          return serialized;
        }
      };

  /**
   * Converts a value to and from a printable ASCII string.
   *
   * @param <T> the value type
   * @since 0.1
   */
  public interface AsciiMarshaller<T> {
    /** Returns the wire form of {@code value}. */
    String toAsciiString(T value);

    /** Parses the wire form. */
    T parseAsciiString(String serialized);
  }

  /**
   * Converts a value to and from bytes.
   *
   * @param <T> the value type
   * @since 0.1
   */
  public interface BinaryMarshaller<T> {
    /** Returns the wire form of {@code value}. */
    byte[] toBytes(T value);

    /** Parses the wire form. */
    T parseBytes(byte[] serialized);
  }

  /**
   * Receives raw entries in order; used by transports.
   *
   * @since 0.1
   */
  public interface EntryVisitor {
    /** Called for an ASCII entry. */
    void ascii(String name, String value);

    /** Called for a binary entry (the name ends in {@code -bin}). */
    void binary(String name, byte[] value);
  }

  /**
   * A typed metadata key. Immutable.
   *
   * @param <T> the value type
   * @since 0.1
   */
  public static final class Key<T> {
    private final String name;
    private final AsciiMarshaller<T> asciiMarshaller;
    private final BinaryMarshaller<T> binaryMarshaller;

    private Key(String name, AsciiMarshaller<T> ascii, BinaryMarshaller<T> binary) {
      this.name = name;
      this.asciiMarshaller = ascii;
      this.binaryMarshaller = binary;
    }

    /**
     * Creates an ASCII key.
     *
     * @throws IllegalArgumentException if the name is not a valid key or ends in {@code -bin}
     */
    public static <T> Key<T> of(String name, AsciiMarshaller<T> marshaller) {
      String n = validateName(name);
      if (n.endsWith(BINARY_SUFFIX)) {
        throw new IllegalArgumentException(
            "metadata key " + ErrorText.quote(name) + " ends in -bin (expected: a binary marshaller)");
      }
      return new Key<>(n, requireNonNull(marshaller, "marshaller"), null);
    }

    /**
     * Creates a binary key.
     *
     * @throws IllegalArgumentException if the name is not a valid key or does not end in {@code -bin}
     */
    public static <T> Key<T> of(String name, BinaryMarshaller<T> marshaller) {
      String n = validateName(name);
      if (!n.endsWith(BINARY_SUFFIX)) {
        throw new IllegalArgumentException(
            "metadata key " + ErrorText.quote(name) + " does not end in -bin (expected: an ASCII marshaller)");
      }
      return new Key<>(n, null, requireNonNull(marshaller, "marshaller"));
    }

    /** Returns the lower-case name. */
    public String name() {
      return name;
    }

    /** Returns whether values of this key are binary. */
    public boolean isBinary() {
      return binaryMarshaller != null;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && ((Key<?>) o).name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return "Key{" + name + "}";
    }

    private Object serialize(T value) {
      requireNonNull(value, "value");
      if (binaryMarshaller != null) {
        return binaryMarshaller.toBytes(value).clone();
      }
      String s = asciiMarshaller.toAsciiString(value);
      validateAsciiValue(name, s);
      return s;
    }

    private T parse(Object raw) {
      if (binaryMarshaller != null) {
        // A copy, as on the way in: the caller must not be able to change the stored bytes.
        return binaryMarshaller.parseBytes(((byte[]) raw).clone());
      }
      return asciiMarshaller.parseAsciiString((String) raw);
    }
  }

  private final List<String> names;
  private final List<Object> values; // String for ASCII keys, byte[] for binary keys

  /** Creates empty metadata. */
  public Metadata() {
    this.names = new ArrayList<>(4);
    this.values = new ArrayList<>(4);
  }

  /** Returns the number of entries. */
  public int size() {
    return names.size();
  }

  /** Returns whether a value is present for {@code key}. */
  public boolean containsKey(Key<?> key) {
    return names.contains(key.name);
  }

  /** Returns the last value for {@code key}, if any. */
  public <T> Optional<T> get(Key<T> key) {
    for (int i = names.size() - 1; i >= 0; i--) {
      if (names.get(i).equals(key.name)) {
        return Optional.of(key.parse(values.get(i)));
      }
    }
    return Optional.empty();
  }

  /** Returns every value for {@code key}, in order. */
  public <T> List<T> getAll(Key<T> key) {
    List<T> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equals(key.name)) {
        out.add(key.parse(values.get(i)));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Returns the key names present, in first-seen order. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(names));
  }

  /**
   * Adds a value for {@code key}, after any existing ones.
   *
   * @throws IllegalArgumentException if an ASCII value is not printable ASCII
   */
  public <T> void put(Key<T> key, T value) {
    requireNonNull(key, "key");
    // Serialize first: a rejected value must not leave a name without its value.
    Object serialized = key.serialize(value);
    names.add(key.name);
    values.add(serialized);
  }

  /** Removes every value of {@code key}; returns whether there was one. */
  public boolean removeAll(Key<?> key) {
    boolean removed = false;
    for (int i = names.size() - 1; i >= 0; i--) {
      if (names.get(i).equals(key.name)) {
        names.remove(i);
        values.remove(i);
        removed = true;
      }
    }
    return removed;
  }

  /** Appends every entry of {@code other}. */
  public void merge(Metadata other) {
    names.addAll(other.names);
    values.addAll(other.values);
  }

  /**
   * Appends a raw ASCII entry as received from the wire. Transports use it; the name must already
   * be lower case.
   */
  public void putAscii(String name, String value) {
    names.add(requireNonNull(name, "name"));
    values.add(requireNonNull(value, "value"));
  }

  /** Appends a raw binary entry as received from the wire (already base64-decoded). */
  public void putBinary(String name, byte[] value) {
    names.add(requireNonNull(name, "name"));
    values.add(requireNonNull(value, "value"));
  }

  /** Visits every entry in order. */
  public void forEach(EntryVisitor visitor) {
    for (int i = 0; i < names.size(); i++) {
      Object v = values.get(i);
      if (v instanceof byte[]) {
        visitor.binary(names.get(i), (byte[]) v);
      } else {
        visitor.ascii(names.get(i), (String) v);
      }
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Metadata(");
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      Object v = values.get(i);
      sb.append(names.get(i)).append('=')
          .append(v instanceof byte[] ? Base64.getEncoder().encodeToString((byte[]) v) : v);
    }
    return sb.append(')').toString();
  }

  private static String validateName(String name) {
    requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("metadata key is empty (expected: 1 or more of [a-z0-9-_.])");
    }
    // Checked before lower-casing: a non-ASCII letter may lower-case to several characters, and
    // the message must point into the name as given.
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.')) {
        throw new IllegalArgumentException(
            "metadata key '" + name + "' has '" + c + "' at " + i + " (expected: [a-z0-9-_.])");
      }
    }
    return name.toLowerCase(Locale.ROOT);
  }

  private static void validateAsciiValue(String name, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException(
            "metadata value of " + ErrorText.quote(name) + " has character 0x" + Integer.toHexString(c) + " at " + i
                + " (expected: printable ASCII)");
      }
    }
  }
}
