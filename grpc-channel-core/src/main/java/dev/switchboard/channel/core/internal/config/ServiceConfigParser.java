package dev.switchboard.channel.core.internal.config;

// STUB until main lands: delete before merging main.
import com.fasterxml.jackson.jr.ob.JSON;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.channel.core.PluginRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** STUB: only loadBalancingConfig, and methodConfig timeout/waitForReady by service or method. */
public final class ServiceConfigParser {
  private final PluginRegistry registry;

  /** Stub. */
  public ServiceConfigParser(PluginRegistry registry) {
    this.registry = registry;
  }

  /** Stub. */
  @SuppressWarnings("unchecked")
  public ConfigOrError<ServiceConfig> parse(String json) {
    try {
      Map<String, Object> m = JSON.std.mapFrom(json);
      ParsedServiceConfig.PolicySelection sel = null;
      Object lbc = m.get("loadBalancingConfig");
      if (lbc != null) {
        for (Object o : (List<Object>) lbc) {
          Map.Entry<String, Object> e = ((Map<String, Object>) o).entrySet().iterator().next();
          Optional<BalancerProvider> p = registry.balancerProvider(e.getKey());
          if (p.isPresent()) {
            ConfigOrError<Object> c = p.get().parseConfig((Map<String, ?>) e.getValue());
            if (!c.isOk()) {
              return ConfigOrError.fromError(c.status());
            }
            sel = new ParsedServiceConfig.PolicySelection(p.get(), c.config().get());
            break;
          }
        }
        if (sel == null) {
          return ConfigOrError.fromError(Status.UNAVAILABLE.withDescription("no supported policy in " + lbc));
        }
      }
      Map<String, MethodConfig> methods = new HashMap<>();
      MethodConfig global = MethodConfig.EMPTY;
      Object mcs = m.get("methodConfig");
      if (mcs != null) {
        for (Object o : (List<Object>) mcs) {
          Map<String, Object> mc = (Map<String, Object>) o;
          Object t = mc.get("timeout");
          Object w = mc.get("waitForReady");
          MethodConfig c = new MethodConfig(
              t == null ? Optional.empty() : Optional.of(Duration.parse("PT" + t.toString().toUpperCase())),
              Optional.ofNullable((Boolean) w), OptionalInt.empty(), OptionalInt.empty());
          for (Object n : (List<Object>) mc.get("name")) {
            Map<String, Object> name = (Map<String, Object>) n;
            Object svc = name.get("service");
            Object meth = name.get("method");
            if (svc == null) {
              global = c;
            } else if (meth == null) {
              methods.put((String) svc, c);
            } else {
              methods.put(svc + "/" + meth, c);
            }
          }
        }
      }
      return ConfigOrError.of(new ParsedServiceConfig(json, sel, methods, global));
    } catch (Exception e) {
      return ConfigOrError.fromError(Status.INVALID_ARGUMENT.withDescription("service config: " + e.getMessage()));
    }
  }
}
