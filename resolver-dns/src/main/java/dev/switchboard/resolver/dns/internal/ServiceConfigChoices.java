package dev.switchboard.resolver.dns.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Picks the service config for this client from the TXT records of {@code _grpc_config.<host>}, as
 * gRFC A2 specifies.
 *
 * <p>Every record that starts with {@code grpc_config=} holds a JSON array of choices (the strings
 * of one record are joined before this); the choices of all such records are tried in order and
 * the first that applies wins. A choice applies when each of its conditions holds:
 *
 * <ul>
 *   <li>{@code clientLanguage}: an array of strings; one of them is {@code java} (ignoring case);
 *   <li>{@code percentage}: an integer 0-100; a random number 0-99 is below it (0 never applies,
 *       100 always does);
 *   <li>{@code clientHostname}: an array of strings; one of them is this machine's host name.
 * </ul>
 *
 * <p>{@code serviceConfig} (an object) is required; any other key makes the records invalid, as in
 * grpc-java. Other TXT records are ignored.
 *
 * <p>Immutable and thread-safe.
 */
final class ServiceConfigChoices {

  /** The prefix of the TXT records that carry service config choices. */
  static final String PREFIX = "grpc_config=";

  private static final JsonFactory JSON_FACTORY = new JsonFactory();

  private static final Set<String> KEYS =
      Set.of("clientLanguage", "percentage", "clientHostname", "serviceConfig");

  /** Thrown when the records are invalid; the message says what is wrong. */
  static final class InvalidChoicesException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidChoicesException(String message) {
      super(message);
    }
  }

  private final Supplier<String> hostname;
  private final IntSupplier percentile;

  /**
   * Creates a chooser.
   *
   * @param hostname returns this machine's host name, matched against {@code clientHostname}; asked
   *     only for choices that have one
   * @param percentile returns a random integer 0-99, drawn for each choice with a percentage
   */
  ServiceConfigChoices(Supplier<String> hostname, IntSupplier percentile) {
    this.hostname = hostname;
    this.percentile = percentile;
  }

  /**
   * Returns the JSON text of the chosen {@code serviceConfig}, or empty when no record carries
   * choices or none applies.
   *
   * @throws InvalidChoicesException if a {@code grpc_config=} record is not a valid choice array
   */
  Optional<String> choose(List<String> txtRecords) throws InvalidChoicesException {
    for (String record : txtRecords) {
      if (!record.startsWith(PREFIX)) {
        continue;
      }
      Object root = parseJson(record.substring(PREFIX.length()));
      if (!(root instanceof List<?> choices)) {
        throw new InvalidChoicesException(
            "grpc_config is " + root + " (expected: a JSON array of choices)");
      }
      for (Object choice : choices) {
        if (!(choice instanceof Map<?, ?> map)) {
          throw new InvalidChoicesException(
              "grpc_config choice " + choice + " (expected: a JSON object)");
        }
        Optional<String> chosen = chooseOne(map);
        if (chosen.isPresent()) {
          return chosen;
        }
      }
    }
    return Optional.empty();
  }

  private Optional<String> chooseOne(Map<?, ?> choice) throws InvalidChoicesException {
    for (Object key : choice.keySet()) {
      if (!KEYS.contains(key)) {
        throw new InvalidChoicesException("grpc_config choice has key \"" + key
            + "\" (expected: clientLanguage, percentage, clientHostname, serviceConfig)");
      }
    }
    if (!(choice.get("serviceConfig") instanceof Map<?, ?> serviceConfig)) {
      throw new InvalidChoicesException("grpc_config choice has serviceConfig "
          + choice.get("serviceConfig") + " (expected: a JSON object)");
    }
    List<String> languages = strings(choice, "clientLanguage");
    if (languages != null && languages.stream().noneMatch("java"::equalsIgnoreCase)) {
      return Optional.empty();
    }
    Object percentage = choice.get("percentage");
    if (percentage != null) {
      if (!(percentage instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
          || n.doubleValue() < 0 || n.doubleValue() > 100) {
        throw new InvalidChoicesException(
            "grpc_config choice has percentage " + percentage + " (expected: an integer 0-100)");
      }
      if (percentile.getAsInt() >= n.doubleValue()) {
        return Optional.empty();
      }
    }
    List<String> hostnames = strings(choice, "clientHostname");
    if (hostnames != null && !hostnames.contains(hostname.get())) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.std.asString(serviceConfig));
    } catch (IOException e) {
      throw new InvalidChoicesException("grpc_config serviceConfig cannot be written back: " + e);
    }
  }

  /** Parses one JSON value with jackson-jr; text after it is an error. */
  private static Object parseJson(String text) throws InvalidChoicesException {
    try (JsonParser parser = JSON_FACTORY.createParser(text)) {
      Object value = JSON.std.anyFrom(parser);
      if (parser.nextToken() != null) {
        throw new InvalidChoicesException("grpc_config is not valid JSON: text after the value at "
            + parser.currentTokenLocation().getColumnNr());
      }
      return value;
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      int nl = message.indexOf('\n');
      throw new InvalidChoicesException(
          "grpc_config is not valid JSON: " + (nl < 0 ? message : message.substring(0, nl)));
    }
  }

  /** Returns the array of strings under {@code key}, or null if absent. */
  private static List<String> strings(Map<?, ?> choice, String key) throws InvalidChoicesException {
    Object value = choice.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return list.stream().map(String.class::cast).toList();
    }
    throw new InvalidChoicesException(
        "grpc_config choice has " + key + " " + value + " (expected: an array of strings)");
  }
}
