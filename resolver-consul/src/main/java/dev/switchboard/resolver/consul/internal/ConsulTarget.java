package dev.switchboard.resolver.consul.internal;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.resolver.HostAndPort;
import dev.switchboard.channel.api.resolver.Target;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code consul} target, parsed: {@code consul://[host[:port]]/service[?tag=T][&tag=T2][&dc=DC]
 * [&config=KV/KEY]}.
 *
 * <p>Immutable.
 */
final class ConsulTarget {

  static final int DEFAULT_AGENT_PORT = 8500;

  private final String original;
  private final Optional<HostAndPort> agent;
  private final String service;
  private final List<String> tags;
  private final Optional<String> datacenter;
  private final Optional<String> configKey;

  private ConsulTarget(String original, Optional<HostAndPort> agent, String service, List<String> tags,
      Optional<String> datacenter, Optional<String> configKey) {
    this.original = original;
    this.agent = agent;
    this.service = service;
    this.tags = tags;
    this.datacenter = datacenter;
    this.configKey = configKey;
  }

  /**
   * Parses {@code target}.
   *
   * @throws IllegalArgumentException naming the target and what is wrong with it
   */
  static ConsulTarget parse(Target target) {
    String original = target.original();
    Optional<HostAndPort> agent = Optional.empty();
    String authority = target.authority();
    if (!authority.isEmpty()) {
      if (authority.indexOf('@') >= 0) {
        throw invalid(original, "it carries credentials before '@' (expected: none in the target, which "
            + "ends up in logs: give an ACL token with option consul.token or consul.token-file, or "
            + "CONSUL_HTTP_TOKEN or CONSUL_HTTP_TOKEN_FILE)");
      }
      try {
        agent = Optional.of(HostAndPort.parse(authority, DEFAULT_AGENT_PORT));
      } catch (IllegalArgumentException e) {
        throw invalid(original, "agent " + ErrorText.quote(authority) + ": " + e.getMessage());
      }
    }
    String service = target.endpoint();
    if (service.indexOf('/') >= 0) {
      throw invalid(original, "service " + ErrorText.quote(service)
          + " has a '/' (expected: consul://agent/service, one name)");
    }
    for (int i = 0; i < service.length(); i++) {
      char c = service.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw invalid(original, "service name has character 0x" + Integer.toHexString(c));
      }
    }
    List<String> tags = new ArrayList<>();
    String datacenter = null;
    String configKey = null;
    if (target.query().isPresent()) {
      for (String pair : target.query().get().split("&", -1)) {
        int equals = pair.indexOf('=');
        String key = decode(original, equals < 0 ? pair : pair.substring(0, equals));
        String value = decode(original, equals < 0 ? "" : pair.substring(equals + 1));
        switch (key) {
          case "tag":
            if (value.isEmpty()) {
              throw invalid(original, "tag is empty");
            }
            tags.add(value);
            break;
          case "dc":
            if (value.isEmpty() || datacenter != null) {
              throw invalid(original, datacenter != null ? "dc is given twice" : "dc is empty");
            }
            datacenter = value;
            break;
          case "config":
            if (value.isEmpty() || configKey != null || value.startsWith("/")) {
              throw invalid(original, configKey != null ? "config is given twice"
                  : "config " + ErrorText.quote(value) + " (expected: a KV key, such as grpc/orders)");
            }
            configKey = value;
            break;
          case "token":
          case "acl_token":
            throw invalid(original, "it carries a token (expected: none in the target, which ends up "
                + "in logs: give it with option consul.token or consul.token-file, or CONSUL_HTTP_TOKEN or "
                + "CONSUL_HTTP_TOKEN_FILE)");
          default:
            throw invalid(original, "unknown query parameter " + ErrorText.quote(key)
                + " (expected: tag, dc, config)");
        }
      }
    }
    return new ConsulTarget(original, agent, service, List.copyOf(tags), Optional.ofNullable(datacenter),
        Optional.ofNullable(configKey));
  }

  private static String decode(String original, String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid(original, "query " + ErrorText.quote(text) + ": " + e.getMessage());
    }
  }

  private static IllegalArgumentException invalid(String target, String problem) {
    return new IllegalArgumentException("target " + ErrorText.quote(target) + ": " + problem);
  }

  String original() {
    return original;
  }

  /** Returns the agent the target names, if it names one. */
  Optional<HostAndPort> agent() {
    return agent;
  }

  String service() {
    return service;
  }

  /** Returns the tags every instance must have, in the target's order. */
  List<String> tags() {
    return tags;
  }

  Optional<String> datacenter() {
    return datacenter;
  }

  /** The folder of the default config keys, one per service. */
  static final String DEFAULT_CONFIG_FOLDER = "grpc/service-config/";

  /** Returns the KV key of the service config: the target's, else {@code grpc/service-config/<service>}. */
  String configKey() {
    return configKey.orElse(DEFAULT_CONFIG_FOLDER + service);
  }

  /** Returns whether the config key is the default one, in {@link #DEFAULT_CONFIG_FOLDER}. */
  boolean hasDefaultConfigKey() {
    return configKey.isEmpty();
  }
}
