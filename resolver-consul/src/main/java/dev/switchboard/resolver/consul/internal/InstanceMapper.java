package dev.switchboard.resolver.consul.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Endpoint;
import dev.switchboard.channel.api.resolver.HostAndPort;
import dev.switchboard.resolver.consul.ConsulAttributes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the body of {@code /v1/health/service/<name>} into endpoints: the instances whose checks
 * all pass (or, with fallback, all of them when none passes), each at {@code Service.Address} (or
 * {@code Node.Address} when that is empty) and {@code Service.Port}, with its balancer attributes.
 *
 * <p>Thread-safe (immutable). Looks up host names (blocking): call it off the channel's threads.
 */
final class InstanceMapper {

  /** The mapping of one answer. */
  static final class Mapped {
    final List<Endpoint> endpoints;
    final List<String> skipped;

    Mapped(List<Endpoint> endpoints, List<String> skipped) {
      this.endpoints = endpoints;
      this.skipped = skipped;
    }
  }

  private final boolean fallbackToAll;

  InstanceMapper(boolean fallbackToAll) {
    this.fallbackToAll = fallbackToAll;
  }

  /**
   * Maps {@code body}.
   *
   * @return the endpoints and the instances left out with why; empty if the body is not an array
   *     of instances at all (what is wrong is then in {@code problem})
   */
  Optional<Mapped> map(JsonElement body, StringBuilder problem) {
    if (!body.isJsonArray()) {
      problem.append("the health answer is not a JSON array");
      return Optional.empty();
    }
    JsonArray instances = body.getAsJsonArray();
    List<JsonObject> passing = new ArrayList<>();
    List<JsonObject> all = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (JsonElement element : instances) {
      if (!element.isJsonObject() || !element.getAsJsonObject().has("Service")
          || !element.getAsJsonObject().get("Service").isJsonObject()) {
        skipped.add("(no Service): not an instance");
        continue;
      }
      JsonObject instance = element.getAsJsonObject();
      all.add(instance);
      if (passes(instance)) {
        passing.add(instance);
      }
    }
    boolean fallback = passing.isEmpty() && fallbackToAll;
    List<Endpoint> endpoints = new ArrayList<>();
    for (JsonObject instance : fallback ? all : passing) {
      JsonObject service = instance.getAsJsonObject("Service");
      JsonObject node = object(instance, "Node");
      String id = text(service, "ID").orElse("(no ID)");
      String host = text(service, "Address").filter(a -> !a.isEmpty())
          .or(() -> node == null ? Optional.empty() : text(node, "Address").filter(a -> !a.isEmpty()))
          .orElse(null);
      if (host == null) {
        skipped.add(id + ": no Service.Address and no Node.Address");
        continue;
      }
      JsonElement portValue = service.get("Port");
      if (portValue == null || !portValue.isJsonPrimitive() || !portValue.getAsJsonPrimitive().isNumber()) {
        skipped.add(id + ": no Service.Port");
        continue;
      }
      double port = portValue.getAsDouble();
      if (port != Math.rint(port) || port < 1 || port > 65535) {
        skipped.add(id + ": Service.Port " + portValue + " is out of range (expected: 1-65535)");
        continue;
      }
      InetSocketAddress socketAddress;
      try {
        HostAndPort parsed = HostAndPort.parse(host.indexOf(':') >= 0 && !host.startsWith("[")
            ? "[" + host + "]" : host, (int) port);
        InetAddress ip = parsed.ipAddress().isPresent() ? parsed.ipAddress().get()
            : InetAddress.getByName(parsed.host());
        socketAddress = new InetSocketAddress(ip, (int) port);
      } catch (IllegalArgumentException | UnknownHostException e) {
        skipped.add(id + ": address " + ErrorText.quote(host) + (e instanceof UnknownHostException
            ? " is unknown to DNS" : ": " + e.getMessage()));
        continue;
      }
      Attributes.Builder attributes = Attributes.newBuilder()
          .set(ConsulAttributes.SERVICE_ID, id)
          .set(ConsulAttributes.PASSING, !fallback || passes(instance));
      if (node != null) {
        text(node, "Node").ifPresent(n -> attributes.set(ConsulAttributes.NODE, n));
        text(node, "Datacenter").ifPresent(dc -> attributes.set(ConsulAttributes.DATACENTER, dc));
      }
      JsonObject weights = object(service, "Weights");
      if (weights != null && weights.has("Passing") && weights.get("Passing").isJsonPrimitive()
          && weights.get("Passing").getAsJsonPrimitive().isNumber()) {
        attributes.set(ConsulAttributes.WEIGHT, weights.get("Passing").getAsInt());
      }
      Map<String, String> meta = strings(object(service, "Meta"));
      if (!meta.isEmpty()) {
        attributes.set(ConsulAttributes.META, meta);
      }
      List<String> tags = new ArrayList<>();
      if (service.has("Tags") && service.get("Tags").isJsonArray()) {
        for (JsonElement tag : service.getAsJsonArray("Tags")) {
          if (tag.isJsonPrimitive()) {
            tags.add(tag.getAsString());
          }
        }
      }
      if (!tags.isEmpty()) {
        attributes.set(ConsulAttributes.TAGS, List.copyOf(tags));
      }
      endpoints.add(Endpoint.of(Address.newBuilder(socketAddress).balancerAttributes(attributes.build()).build()));
    }
    return Optional.of(new Mapped(endpoints, skipped));
  }

  /** Consul's {@code ?passing}: every check of the instance (node's and service's) passes. */
  private static boolean passes(JsonObject instance) {
    JsonElement checks = instance.get("Checks");
    if (checks == null || !checks.isJsonArray()) {
      return true;
    }
    for (JsonElement check : checks.getAsJsonArray()) {
      if (!check.isJsonObject() || !"passing".equals(text(check.getAsJsonObject(), "Status").orElse(""))) {
        return false;
      }
    }
    return true;
  }

  private static JsonObject object(JsonObject parent, String name) {
    JsonElement child = parent.get(name);
    return child != null && child.isJsonObject() ? child.getAsJsonObject() : null;
  }

  private static Optional<String> text(JsonObject parent, String name) {
    JsonElement child = parent.get(name);
    return child != null && child.isJsonPrimitive() ? Optional.of(child.getAsString()) : Optional.empty();
  }

  private static Map<String, String> strings(JsonObject object) {
    Map<String, String> out = new LinkedHashMap<>();
    if (object != null) {
      for (Map.Entry<String, JsonElement> e : object.entrySet()) {
        if (e.getValue() instanceof JsonPrimitive) {
          out.put(e.getKey(), e.getValue().getAsString());
        }
      }
    }
    return Map.copyOf(out);
  }
}
