package dev.switchboard.resolver.zookeeper.internal;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.resolver.HostAndPort;
import dev.switchboard.resolver.zookeeper.ZookeeperAttributes;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one instance znode: curator-x-discovery's {@code ServiceInstance} JSON or a Finagle
 * ServerSet member, into a socket address with the instance's balancer attributes. Looks nothing
 * up: a host name comes back unresolved.
 *
 * <p>Thread-safe (immutable).
 */
final class InstanceParser {

  /** What one znode holds. */
  static final class Parsed {
    private final InetSocketAddress socketAddress;
    private final Attributes balancerAttributes;
    private final String problem;

    private Parsed(InetSocketAddress socketAddress, Attributes balancerAttributes, String problem) {
      this.socketAddress = socketAddress;
      this.balancerAttributes = balancerAttributes;
      this.problem = problem;
    }

    /**
     * Returns the instance's address (unresolved when the instance names a host, not an IP); empty
     * when it is left out or corrupt.
     */
    Optional<InetSocketAddress> socketAddress() {
      return Optional.ofNullable(socketAddress);
    }

    /** Returns the instance's balancer attributes; empty when it is left out or corrupt. */
    Attributes balancerAttributes() {
      return balancerAttributes;
    }

    /** Returns what is wrong with the znode; empty when it holds an instance (used or not). */
    Optional<String> problem() {
      return Optional.ofNullable(problem);
    }
  }

  private static final Parsed LEFT_OUT = new Parsed(null, Attributes.EMPTY, null);

  private final ZookeeperTarget.Format format;
  private final String port;

  InstanceParser(ZookeeperTarget.Format format, String port) {
    this.format = format;
    this.port = port;
  }

  /** Reads the instance in znode {@code path}, whose data is {@code data}. Never throws. */
  Parsed parse(String path, byte[] data) {
    Object json;
    try {
      json = data == null || data.length == 0 ? null : JSON.std.anyFrom(data);
    } catch (IOException | RuntimeException e) {
      return corrupt("not JSON: " + ErrorText.cut(firstLine(e.getMessage())));
    }
    if (!(json instanceof Map)) {
      return corrupt(json == null ? "no data (expected: a JSON object)" : "not a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> instance = (Map<String, Object>) json;
    return format == ZookeeperTarget.Format.CURATOR ? curator(path, instance) : serverSet(path, instance);
  }

  private Parsed curator(String path, Map<String, Object> instance) {
    Object enabled = instance.get("enabled");
    if (Boolean.FALSE.equals(enabled)) {
      return LEFT_OUT;
    }
    if (enabled != null && !(enabled instanceof Boolean)) {
      return corrupt("enabled is " + describe(enabled) + " (expected: true or false)");
    }
    Object host = instance.get("address");
    if (!(host instanceof String) || ((String) host).isEmpty()) {
      return corrupt(host == null ? "no address" : "address is " + describe(host) + " (expected: a host)");
    }
    Object portValue = instance.get(port);
    Attributes.Builder attributes = Attributes.newBuilder()
        .set(ZookeeperAttributes.ZNODE, path)
        .set(ZookeeperAttributes.INSTANCE_ID, instance.get("id") instanceof String
            ? (String) instance.get("id") : lastSegment(path));
    Map<String, String> metadata = metadata(instance.get("payload"));
    return address((String) host, port, portValue, metadata, attributes);
  }

  private Parsed serverSet(String path, Map<String, Object> member) {
    Object status = member.get("status");
    if (status != null && !"ALIVE".equals(status)) {
      return LEFT_OUT;
    }
    Object endpoint;
    if (port.equals(ZookeeperTarget.Format.SERVERSET.defaultPort)) {
      endpoint = member.get("serviceEndpoint");
    } else {
      Object additional = member.get("additionalEndpoints");
      endpoint = additional instanceof Map ? ((Map<?, ?>) additional).get(port) : null;
    }
    if (!(endpoint instanceof Map)) {
      return corrupt(endpoint == null ? "no endpoint " + ErrorText.quote(port) : "endpoint "
          + ErrorText.quote(port) + " is " + describe(endpoint) + " (expected: {\"host\":…,\"port\":…})");
    }
    Map<?, ?> hostPort = (Map<?, ?>) endpoint;
    Object host = hostPort.get("host");
    if (!(host instanceof String) || ((String) host).isEmpty()) {
      return corrupt(host == null ? "endpoint " + ErrorText.quote(port) + " has no host"
          : "host is " + describe(host) + " (expected: a host)");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    if (scalar(member.get("shard"))) {
      metadata.put("shard", text(member.get("shard")));
    }
    Attributes.Builder attributes = Attributes.newBuilder()
        .set(ZookeeperAttributes.ZNODE, path)
        .set(ZookeeperAttributes.INSTANCE_ID, lastSegment(path));
    return address((String) host, "port", hostPort.get("port"), metadata, attributes);
  }

  private static Parsed address(String host, String portName, Object portValue, Map<String, String> metadata,
      Attributes.Builder attributes) {
    if (portValue == null) {
      return corrupt("no " + portName);
    }
    if (!(portValue instanceof Integer || portValue instanceof Long || portValue instanceof BigInteger)) {
      return corrupt(portName + " is " + describe(portValue) + " (expected: a whole number 1-65535)");
    }
    long port = ((Number) portValue).longValue();
    if (portValue instanceof BigInteger || port < 1 || port > 65535) {
      return corrupt(portName + " " + portValue + " is out of range (expected: 1-65535)");
    }
    HostAndPort parsed;
    try {
      parsed = HostAndPort.parse(host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host,
          (int) port);
    } catch (IllegalArgumentException e) {
      return corrupt("address " + ErrorText.quote(host) + ": " + e.getMessage());
    }
    if (parsed.port() != port) {
      return corrupt("address " + ErrorText.quote(host) + " carries a port of its own");
    }
    InetSocketAddress socketAddress = parsed.ipAddress()
        .map(ip -> new InetSocketAddress(ip, (int) port))
        .orElseGet(() -> InetSocketAddress.createUnresolved(parsed.host(), (int) port));
    if (!metadata.isEmpty()) {
      attributes.set(ZookeeperAttributes.METADATA, Map.copyOf(metadata));
      String zone = metadata.get("zone");
      if (zone != null && !zone.isEmpty()) {
        attributes.set(ZookeeperAttributes.ZONE, zone);
      }
      weight(metadata.get("weight")).ifPresent(w -> attributes.set(ZookeeperAttributes.WEIGHT, w));
    }
    return new Parsed(socketAddress, attributes.build(), null);
  }

  /**
   * The payload's metadata: its {@code metadata} object (Spring Cloud Zookeeper), else its own
   * scalar fields. A payload of a class this module does not have is just JSON here.
   */
  private static Map<String, String> metadata(Object payload) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (payload instanceof Map) {
      Object nested = ((Map<?, ?>) payload).get("metadata");
      Map<?, ?> fields = nested instanceof Map ? (Map<?, ?>) nested : (Map<?, ?>) payload;
      fields.forEach((name, value) -> {
        if (!"@class".equals(name) && scalar(value)) {
          metadata.put(String.valueOf(name), text(value));
        }
      });
    }
    return metadata;
  }

  private static Optional<Integer> weight(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      int weight = Integer.parseInt(text.trim());
      return weight > 0 ? Optional.of(weight) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean scalar(Object value) {
    return value instanceof String || value instanceof Number || value instanceof Boolean;
  }

  private static String text(Object scalar) {
    return scalar instanceof BigDecimal ? ((BigDecimal) scalar).toPlainString() : String.valueOf(scalar);
  }

  private static String describe(Object value) {
    if (value instanceof String) {
      return ErrorText.quote((String) value);
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof java.util.List) {
      return "an array";
    }
    return String.valueOf(value);
  }

  private static String lastSegment(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static Parsed corrupt(String problem) {
    return new Parsed(null, Attributes.EMPTY, problem);
  }
}
