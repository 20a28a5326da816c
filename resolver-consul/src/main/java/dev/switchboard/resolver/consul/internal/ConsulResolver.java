package dev.switchboard.resolver.consul.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverState;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.resolver.consul.ConsulAttributes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Follows one service through a shared {@link BlockingWatch} of its health endpoint, and its
 * service config through a shared watch of a KV key, and reports both to the channel.
 *
 * <p>The first state waits for the first answer of both watches (so that a config in KV comes
 * with the first addresses); later, each new answer of either is reported at once. An error of
 * the health watch is reported ({@code reportError}: the channel keeps the last addresses); an
 * error of the KV watch keeps the last config. {@link #resolveNow} does nothing: blocking queries
 * already bring every change, and a failing watch already retries with backoff.
 *
 * <p>Thread-safe: the watches call it from their threads; reports are serialized.
 */
final class ConsulResolver implements Resolver {

  private final ConsulTarget target;
  private final ClientConn clientConn;
  private final InstanceMapper mapper;
  private final BlockingWatch.Key healthKey;
  private final Optional<BlockingWatch.Key> configKey;

  private final Object lock = new Object();
  // Guarded by lock.
  private boolean closed;
  private InstanceMapper.Mapped instances;
  private boolean configKnown;
  private Optional<ConfigOrError<ServiceConfig>> config = Optional.empty();
  private String configText;
  private Runnable unsubscribeHealth = () -> {};
  private Runnable unsubscribeConfig = () -> {};

  ConsulResolver(ConsulTarget target, ClientConn clientConn, InstanceMapper mapper, BlockingWatch.Key healthKey,
      Optional<BlockingWatch.Key> configKey) {
    this.target = target;
    this.clientConn = clientConn;
    this.mapper = mapper;
    this.healthKey = healthKey;
    this.configKey = configKey;
    this.configKnown = configKey.isEmpty();
  }

  void start() {
    Runnable health = BlockingWatch.subscribe(healthKey, this::onHealth);
    Runnable kv = configKey.map(key -> BlockingWatch.subscribe(key, this::onConfig)).orElse(() -> {});
    boolean closedMeanwhile;
    synchronized (lock) {
      closedMeanwhile = closed;
      unsubscribeHealth = health;
      unsubscribeConfig = kv;
    }
    if (closedMeanwhile) {
      health.run();
      kv.run();
    }
  }

  private void onHealth(BlockingWatch.Result result) {
    if (result.error().isPresent()) {
      synchronized (lock) {
        if (closed) {
          return;
        }
        clientConn.reportError(result.error().get().withDescription("consul target "
            + ErrorText.quote(target.original()) + ": " + result.error().get().description().orElse("")));
      }
      return;
    }
    StringBuilder problem = new StringBuilder();
    Optional<InstanceMapper.Mapped> mapped = mapper.map(result.body().orElseThrow(), problem);
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (mapped.isEmpty()) {
        clientConn.reportError(Status.UNAVAILABLE.withDescription("consul target "
            + ErrorText.quote(target.original()) + ": consul agent " + healthKey.agent + ": " + problem));
        return;
      }
      instances = mapped.get();
      reportIfReady();
    }
  }

  private void onConfig(BlockingWatch.Result result) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (result.error().isPresent()) {
        if (configKnown) {
          return; // keep the last config; the health watch reports the agent's trouble
        }
        config = Optional.empty();
        configText = null;
      } else {
        String where = "service config in consul KV key " + target.configKey();
        String text;
        try {
          text = result.body().map(this::configText).orElse("");
        } catch (RuntimeException e) {
          text = null;
        }
        if (text == null) {
          configText = null; // unknown: the next answer is taken as new
          config = Optional.of(ConfigOrError.fromError(Status.UNAVAILABLE.withDescription(
              where + ": the KV answer is not what Consul sends")));
        } else if (configKnown && text.equals(configText)) {
          return; // another key of the folder changed, or nothing did
        } else {
          configText = text;
          config = text.isEmpty() ? Optional.empty() : Optional.of(parsedConfig(text, where));
        }
      }
      configKnown = true;
      reportIfReady();
    }
  }

  private ConfigOrError<ServiceConfig> parsedConfig(String json, String where) {
    ConfigOrError<ServiceConfig> parsed = clientConn.parseServiceConfig(json);
    return parsed.isOk() ? parsed : ConfigOrError.fromError(parsed.status()
        .withDescription(where + ": " + parsed.status().description().orElse("invalid")));
  }

  /**
   * The value of this target's key in a KV answer ({@code [{"Key":…,"Value":"<base64>"},…]}: one
   * key, or the folder of the default keys), trimmed; empty when the key or its value is absent.
   *
   * @throws RuntimeException if the answer is not shaped as Consul's
   */
  private String configText(JsonElement body) {
    for (JsonElement entry : body.getAsJsonArray()) {
      JsonObject pair = entry.getAsJsonObject();
      if (target.configKey().equals(pair.get("Key").getAsString())) {
        JsonElement value = pair.get("Value");
        return value == null || value.isJsonNull() ? ""
            : new String(Base64.getDecoder().decode(value.getAsString()), StandardCharsets.UTF_8).strip();
      }
    }
    return "";
  }

  private void reportIfReady() {
    if (instances == null || !configKnown) {
      return;
    }
    ResolverState.Builder state = ResolverState.newBuilder().endpoints(instances.endpoints);
    if (!instances.skipped.isEmpty()) {
      state.attributes(Attributes.newBuilder()
          .set(ConsulAttributes.SKIPPED_INSTANCES, List.copyOf(instances.skipped)).build());
    }
    config.ifPresent(state::serviceConfig);
    clientConn.updateState(state.build());
  }

  @Override
  public void resolveNow() {}

  @Override
  public void close() {
    Runnable health;
    Runnable kv;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      health = unsubscribeHealth;
      kv = unsubscribeConfig;
    }
    health.run();
    kv.run();
  }

  @Override
  public String toString() {
    return "ConsulResolver{" + target.original() + "}";
  }
}
