package dev.switchboard.resolver.zookeeper.internal;

import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.resolver.HostAndPort;
import dev.switchboard.channel.api.resolver.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code zk} target, parsed: {@code zk://[host[:port][,host[:port]…]]/[base/path/]service
 * [?format=curator|serverset][&port=NAME]}.
 *
 * <p>Immutable.
 */
final class ZookeeperTarget {

  static final int DEFAULT_ZOOKEEPER_PORT = 2181;

  /** How instances are written under the service's znode. */
  enum Format {
    /** curator-x-discovery's {@code ServiceInstance} JSON, one child per instance. */
    CURATOR("port"),
    /** Finagle's ServerSet member JSON ({@code serviceEndpoint}, {@code status}). */
    SERVERSET("serviceEndpoint");

    final String defaultPort;

    Format(String defaultPort) {
      this.defaultPort = defaultPort;
    }
  }

  private final String original;
  private final Optional<String> ensemble;
  private final String path;
  private final String serviceName;
  private final Format format;
  private final String port;

  private ZookeeperTarget(String original, Optional<String> ensemble, String path, String serviceName,
      Format format, String port) {
    this.original = original;
    this.ensemble = ensemble;
    this.path = path;
    this.serviceName = serviceName;
    this.format = format;
    this.port = port;
  }

  /**
   * Parses {@code target}.
   *
   * @throws IllegalArgumentException naming the target and what is wrong with it
   */
  static ZookeeperTarget parse(Target target) {
    String original = target.original();
    Optional<String> ensemble = target.authority().isEmpty()
        ? Optional.empty()
        : Optional.of(ensemble(target.authority(), "target " + ErrorText.quote(original)));
    if (!target.isPathAbsolute()) {
      throw invalid(original, "the path must start with / (expected: zk://host:2181/base/service)");
    }
    String endpoint = target.endpoint();
    String[] segments = endpoint.split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty()) {
        throw invalid(original, "the path " + ErrorText.quote("/" + endpoint)
            + " has an empty segment (expected: /base/service, the service name last)");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw invalid(original, "the path " + ErrorText.quote("/" + endpoint)
            + " has a segment " + ErrorText.quote(segment) + " (ZooKeeper paths have no relative parts)");
      }
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0) {
          throw invalid(original, "the path " + ErrorText.quote("/" + endpoint)
              + " has character 0x" + Integer.toHexString(c) + ", which ZooKeeper does not allow");
        }
      }
    }
    Format format = Format.CURATOR;
    String port = null;
    if (target.query().isPresent()) {
      Set<String> seen = new HashSet<>();
      for (String pair : target.query().get().split("&", -1)) {
        int equals = pair.indexOf('=');
        String key = equals < 0 ? pair : pair.substring(0, equals);
        String value = equals < 0 ? "" : pair.substring(equals + 1);
        if (!seen.add(key)) {
          throw invalid(original, "the query names " + ErrorText.quote(key) + " twice");
        }
        switch (key) {
          case "format":
            try {
              format = Format.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
              throw invalid(original, "format " + ErrorText.quote(value) + " (expected: curator or serverset)");
            }
            break;
          case "port":
            if (value.isEmpty()) {
              throw invalid(original, "port is empty (expected: port or sslPort; for a serverset, "
                  + "serviceEndpoint or the name of an additional endpoint)");
            }
            port = value;
            break;
          default:
            throw invalid(original, "unknown query parameter " + ErrorText.quote(key)
                + " (expected: format, port)");
        }
      }
    }
    if (port == null) {
      port = format.defaultPort;
    } else if (format == Format.CURATOR && !port.equals("port") && !port.equals("sslPort")) {
      throw invalid(original, "port " + ErrorText.quote(port) + " (expected: port or sslPort)");
    }
    return new ZookeeperTarget(original, ensemble, "/" + endpoint, segments[segments.length - 1], format, port);
  }

  /**
   * Returns {@code text} ({@code host[:port],…}) as a ZooKeeper connect string with every port
   * spelled out.
   *
   * @throws IllegalArgumentException naming {@code source} and the entry that is wrong
   */
  static String ensemble(String text, String source) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException(source + ": the ZooKeeper ensemble is empty");
    }
    List<String> servers = new ArrayList<>();
    for (String entry : text.split(",", -1)) {
      if (entry.isEmpty()) {
        throw new IllegalArgumentException(source + ": ensemble " + ErrorText.quote(text)
            + " has an empty server (expected: host[:port],host[:port]…)");
      }
      HostAndPort server;
      try {
        server = HostAndPort.parse(entry, DEFAULT_ZOOKEEPER_PORT);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ": ensemble server " + ErrorText.quote(entry) + ": "
            + e.getMessage(), e);
      }
      String host = server.host().indexOf(':') >= 0 ? "[" + server.host() + "]" : server.host();
      servers.add(host + ":" + server.port());
    }
    return String.join(",", servers);
  }

  private static IllegalArgumentException invalid(String target, String problem) {
    return new IllegalArgumentException("target " + ErrorText.quote(target) + ": " + problem);
  }

  String original() {
    return original;
  }

  /** Returns the ensemble the target names, as a connect string, if it names one. */
  Optional<String> ensemble() {
    return ensemble;
  }

  /** Returns the service's znode: the base path and the service name. */
  String path() {
    return path;
  }

  String serviceName() {
    return serviceName;
  }

  Format format() {
    return format;
  }

  /** Returns which of an instance's ports to use. */
  String port() {
    return port;
  }
}
