package dev.switchboard.channel.api;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable map of typed keys to values, carried by addresses, resolver states and subchannels.
 *
 * <p>Keys compare by identity: a plugin that defines a key owns it, and another plugin can read the
 * value only through the same key instance (see well-known keys such as
 * {@link dev.switchboard.channel.api.resolver.ResolverState#GRPCLB_BALANCER_ADDRESSES}).
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Attributes {

  /** The empty attributes. */
  public static final Attributes EMPTY = new Attributes(Map.of());

  /**
   * A typed key. Compares by identity.
   *
   * @param <T> the type of the value
   * @since 0.1
   */
  public static final class Key<T> {
    private final String name;

    private Key(String name) {
      this.name = requireNonNull(name, "name");
    }

    /** Creates a key; the name is for debugging only. */
    public static <T> Key<T> create(String name) {
      return new Key<>(name);
    }

    /** Returns the debugging name. */
    public String name() {
      return name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private final Map<Key<?>, Object> data;

  private Attributes(Map<Key<?>, Object> data) {
    this.data = data;
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder(EMPTY);
  }

  /** Returns a builder that starts with these attributes. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Returns the value for {@code key}, if present. */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> get(Key<T> key) {
    return Optional.ofNullable((T) data.get(key));
  }

  /** Returns the keys present. */
  public Set<Key<?>> keys() {
    return Collections.unmodifiableSet(data.keySet());
  }

  /** Returns whether there are no attributes. */
  public boolean isEmpty() {
    return data.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attributes && ((Attributes) o).data.equals(data);
  }

  @Override
  public int hashCode() {
    return data.hashCode();
  }

  @Override
  public String toString() {
    return data.toString();
  }

  /**
   * Builds {@link Attributes}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final Map<Key<?>, Object> data;

    // Keys do not override equals, so a plain map already compares them by identity, while values
    // compare by equals: an IdentityHashMap would make equal addresses unequal.
    private Builder(Attributes base) {
      this.data = new LinkedHashMap<>(base.data);
    }

    /** Sets {@code key} to {@code value}, replacing any previous value. */
    public <T> Builder set(Key<T> key, T value) {
      data.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /** Removes {@code key}. */
    public Builder discard(Key<?> key) {
      data.remove(requireNonNull(key, "key"));
      return this;
    }

    /** Copies every attribute of {@code other}, replacing values of keys present in both. */
    public Builder setAll(Attributes other) {
      data.putAll(other.data);
      return this;
    }

    /** Returns the attributes. */
    public Attributes build() {
      return data.isEmpty() ? EMPTY : new Attributes(Collections.unmodifiableMap(new LinkedHashMap<>(data)));
    }
  }
}
