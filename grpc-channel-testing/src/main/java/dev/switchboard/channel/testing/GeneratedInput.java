package dev.switchboard.channel.testing;

import dev.switchboard.channel.api.ErrorText;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Generated bad input for fuzz tests, from a seed: channel targets and service configs that are
 * mostly almost right (a known scheme with an odd port, a scoped IPv6 literal, a size that is
 * {@code null}), some plainly wrong, a few very long, and the rest mutated by a character or two.
 *
 * <p>{@link #check} runs a check on many generated values and, when one fails, names the run's seed
 * and the input in the {@link AssertionError}, so the failure can be repeated with
 * {@code -D}{@value #SEED_PROPERTY}{@code =<seed>}:
 *
 * <pre>{@code
 * GeneratedInput.check("target", 10_000, GeneratedInput::target, target -> {
 *   try {
 *     ChannelBuilder.forTarget(target).build().close();
 *   } catch (IllegalArgumentException e) {
 *     assertThat(e.getMessage()).hasSizeLessThanOrEqualTo(GeneratedInput.MAX_MESSAGE_CHARS);
 *   }
 * });
 * }</pre>
 *
 * <p>Thread-safe (stateless; each value comes from its own {@link Random}).
 *
 * @since 0.1
 */
public final class GeneratedInput {

  /** The system property that fixes the seed of a run. */
  public static final String SEED_PROPERTY = "switchboard.fuzz.seed";

  /**
   * The longest error message that bad input may produce: a few quoted values
   * ({@link ErrorText#MAX_QUOTED_CHARS} each) and the words around them.
   */
  public static final int MAX_MESSAGE_CHARS = 1000;

  private static final List<String> SCHEMES = List.of("dns", "passthrough", "DNS", "Passthrough", "unix",
      "zk", "consul", "manual", "file", "x", "a+b.c-d", "1abc", "", "dns ", "dns\u0000", "ДНС");
  private static final List<String> HOSTS = List.of("localhost", "localhost.", "127.0.0.1", "10.0.0.1",
      "::1", "[::1]", "[fe80::1%lo]", "[fe80::1%25lo]", "[fe80::1%eth0]", "[fe80::1%]", "[fe80::1%1]",
      "fe80::1%lo", "[::ffff:1.2.3.4]", "[1.2.3.4]", "[nope]", "orders.example.com", "orders", "a..b",
      ".a", "a.", "-", "_svc._tcp.x", "x".repeat(63), "x".repeat(64), ("abc.").repeat(70), "1.2.3",
      "256.1.1.1", "01.02.03.04", "[", "]", "[::1", "::1]", "[::1]]", "a b", "a%20b", "%", "%zz", "%00",
      "ünïcödé.example", "\u202eevil", "\ud83d\ude08", "\ud800", "", "@", "user@host", "a/b", "a?b",
      "a#b", "a\\b", "*", "[::1]:80", "0", "0.0.0.0", "[::]", "::", ":::");
  private static final List<String> PORTS = List.of("", "0", "1", "80", "443", "65535", "65536", "+80",
      "-1", "\u0661\u0662\u0663", "\uff18\uff10", "99999999999", "0x50", " 80", "80 ", "8O", "00080",
      "000080", "2147483648", ":", "80:80", "1e3");
  private static final List<String> SUFFIXES = List.of("", "", "", "?", "?dc=dc1", "?a=%", "#frag",
      "/", "//", "/extra/path", "%", "%2", "%25", "\n", "\t", "\u0000", "\u007f", " ", "\u00a0", "\u2028");
  private static final List<String> CONFIG_KEYS = List.of("loadBalancingConfig", "loadBalancingPolicy",
      "methodConfig", "retryThrottling", "healthCheckConfig", "", "x");
  private static final List<String> METHOD_CONFIG_KEYS = List.of("name", "timeout", "waitForReady",
      "maxRequestMessageBytes", "maxResponseMessageBytes", "retryPolicy", "hedgingPolicy", "x");
  private static final List<String> POLICIES = List.of("round_robin", "pick_first", "grpclb", "ROUND_ROBIN",
      "weighted_round_robin", "", "x", "pick_first ");
  private static final List<String> SCALARS = List.of("null", "true", "false", "0", "-0", "1", "-1",
      "1.5", "1e3", "1e400", "-1e400", "2147483647", "2147483648", "9223372036854775808",
      "\"1\"", "\"-1\"", "\"1.5s\"", "\"-1s\"", "\"1s\"", "\"99999999999999999999s\"", "\"1.0000000001s\"",
      "\"\"", "\"round_robin\"", "\"\\u0000\"", "\"\\ud800\"", "{}", "[]", "[{}]", "[null]", "{\"\":{}}");

  private GeneratedInput() {}

  /** Returns the seed of this run: {@value #SEED_PROPERTY} if set, else a fresh random one. */
  public static long runSeed() {
    String fixed = System.getProperty(SEED_PROPERTY);
    return fixed != null ? Long.parseLong(fixed.trim()) : new SplittableRandom().nextLong();
  }

  /**
   * Checks {@code count} values made by {@code generator}, each from a {@link Random} seeded from
   * {@link #runSeed()} and its index. The first failure ends the run with an {@link AssertionError}
   * that names the seed, the case and the input (quoted, cut to a readable length).
   *
   * @param what what is generated, for the failure message
   */
  public static void check(String what, int count, Function<Random, String> generator,
      Consumer<String> check) {
    long seed = runSeed();
    for (int i = 0; i < count; i++) {
      String input = generator.apply(new Random(seed * 31 + i));
      try {
        check.accept(input);
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError("generated " + what + " #" + i + " failed (rerun with -D" + SEED_PROPERTY
            + "=" + seed + "): " + ErrorText.quote(input) + ": " + cut(String.valueOf(e)), e);
      }
    }
  }

  private static String cut(String message) {
    return message.length() <= 2 * MAX_MESSAGE_CHARS ? message
        : message.substring(0, 2 * MAX_MESSAGE_CHARS) + "… (" + message.length() + " characters)";
  }

  /** Returns a generated channel target. */
  public static String target(Random random) {
    return target(random, pick(random, SCHEMES));
  }

  /** Returns a generated channel target with the given scheme most of the time. */
  public static String target(Random random, String scheme) {
    StringBuilder t = new StringBuilder();
    int shape = random.nextInt(10);
    if (shape < 7) {
      t.append(random.nextInt(8) == 0 ? pick(random, SCHEMES) : scheme).append(':');
      if (random.nextInt(4) != 0) {
        t.append("//");
        if (random.nextInt(3) == 0) {
          t.append(hostPort(random));
        }
        t.append('/');
      }
    }
    if (shape != 9) {
      t.append(hostPort(random));
    } else {
      t.append(randomText(random, 1 + random.nextInt(40)));
    }
    t.append(pick(random, SUFFIXES));
    if (random.nextInt(50) == 0) {
      t.append("x".repeat(1000 + random.nextInt(50_000)));
    }
    return mutate(random, t.toString());
  }

  /** Returns a generated service config: JSON of the right shape with wrong parts, or not JSON. */
  public static String serviceConfig(Random random) {
    StringBuilder json = new StringBuilder("{");
    int keys = random.nextInt(4);
    for (int i = 0; i < keys; i++) {
      String key = pick(random, CONFIG_KEYS);
      json.append(i == 0 ? "" : ",").append('"').append(key).append("\":");
      switch (key) {
        case "loadBalancingConfig" -> lbConfigs(random, json);
        case "loadBalancingPolicy" -> json.append(random.nextBoolean()
            ? "\"" + pick(random, POLICIES) + "\"" : value(random, 2));
        case "methodConfig" -> methodConfigs(random, json);
        default -> json.append(value(random, 3));
      }
    }
    json.append('}');
    if (random.nextInt(40) == 0) {
      json.insert(1, "\"loadBalancingPolicy\":\"" + "p".repeat(1000 + random.nextInt(40_000)) + "\",");
    }
    return mutate(random, json.toString());
  }

  private static void lbConfigs(Random random, StringBuilder json) {
    if (random.nextInt(5) == 0) {
      json.append(value(random, 2));
      return;
    }
    json.append('[');
    int n = random.nextInt(3);
    for (int i = 0; i < n; i++) {
      json.append(i == 0 ? "" : ",").append(random.nextInt(6) == 0 ? value(random, 2)
          : "{\"" + pick(random, POLICIES) + "\":" + (random.nextBoolean() ? "{}" : value(random, 2)) + "}");
    }
    json.append(']');
  }

  private static void methodConfigs(Random random, StringBuilder json) {
    if (random.nextInt(5) == 0) {
      json.append(value(random, 2));
      return;
    }
    json.append('[');
    int n = random.nextInt(3);
    for (int i = 0; i < n; i++) {
      json.append(i == 0 ? "{" : ",{");
      int fields = random.nextInt(4);
      for (int f = 0; f < fields; f++) {
        String key = pick(random, METHOD_CONFIG_KEYS);
        json.append(f == 0 ? "" : ",").append('"').append(key).append("\":");
        if (key.equals("name") && random.nextBoolean()) {
          json.append(random.nextBoolean() ? "[{}]" : "[{\"service\":" + value(random, 1)
              + (random.nextBoolean() ? ",\"method\":" + value(random, 1) : "") + "}]");
        } else {
          json.append(value(random, 1));
        }
      }
      json.append('}');
    }
    json.append(']');
  }

  /** A JSON value: mostly a tricky scalar, sometimes a nested object or list. */
  private static String value(Random random, int depth) {
    int kind = random.nextInt(depth > 0 ? 8 : 6);
    if (kind < 5) {
      return pick(random, SCALARS);
    }
    if (kind == 5) {
      return "\"" + randomText(random, random.nextInt(20)).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
    StringBuilder out = new StringBuilder(kind == 6 ? "[" : "{");
    int n = random.nextInt(3);
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : ",");
      if (kind == 7) {
        out.append('"').append(pick(random, random.nextBoolean() ? METHOD_CONFIG_KEYS : CONFIG_KEYS)).append("\":");
      }
      out.append(value(random, depth - 1));
    }
    return out.append(kind == 6 ? "]" : "}").toString();
  }

  /** Mostly unchanged; else a character or two inserted, deleted or replaced, or cut short. */
  private static String mutate(Random random, String s) {
    int edits = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
    StringBuilder out = new StringBuilder(s);
    for (int i = 0; i < edits && out.length() > 0; i++) {
      int at = random.nextInt(out.length());
      switch (random.nextInt(4)) {
        case 0 -> out.insert(at, randomText(random, 1));
        case 1 -> out.deleteCharAt(at);
        case 2 -> out.setCharAt(at, randomText(random, 1).charAt(0));
        default -> out.setLength(at);
      }
    }
    return out.toString();
  }

  /** Printable ASCII mostly, with URI and JSON punctuation, controls and non-ASCII now and then. */
  private static String randomText(Random random, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(20);
      if (kind < 14) {
        out.append((char) (' ' + random.nextInt(95)));
      } else if (kind < 17) {
        String punctuation = ":/[]%@?#{}\",.";
        out.append(punctuation.charAt(random.nextInt(punctuation.length())));
      } else if (kind < 18) {
        out.append((char) random.nextInt(32));
      } else {
        out.append((char) (0x80 + random.nextInt(0xFFFF - 0x80)));
      }
    }
    return out.toString();
  }

  private static String hostPort(Random random) {
    String host = pick(random, HOSTS);
    return random.nextInt(3) == 0 ? host : host + ":" + pick(random, PORTS);
  }

  private static String pick(Random random, List<String> choices) {
    return choices.get(random.nextInt(choices.size()));
  }
}
