package dev.switchboard.resolver.consul;

import dev.switchboard.channel.api.PluginOption;
import java.time.Duration;
import java.util.List;

/**
 * Options of the {@code consul} resolver, set on the channel ({@code resolverOption}) or from the
 * CLI ({@code --resolver-option consul.wait=30s}); an option not set takes its default. Where an
 * option is empty, the environment variable Consul's own tools read is used.
 *
 * <pre>{@code
 * ManagedChannel channel = ChannelBuilder.forTarget("consul:///orders?tag=grpc")
 *     .resolverOption(ConsulResolverOptions.TOKEN_FILE, "/run/secrets/consul-token")
 *     .build();
 * }</pre>
 *
 * <p>The ACL token never comes from the target: targets end up in logs and metrics. A value out
 * of range makes {@code newResolver} throw an {@link IllegalArgumentException} naming the option.
 *
 * <p>Immutable: only constants.
 *
 * @since 0.1
 */
public final class ConsulResolverOptions {

  /** The environment variable for the agent's address, {@code [http[s]://]host[:port]}. */
  public static final String ADDRESS_VARIABLE = "CONSUL_HTTP_ADDR";
  /** The environment variable that turns HTTPS on ({@code true}). */
  public static final String SSL_VARIABLE = "CONSUL_HTTP_SSL";
  /** The environment variable for the ACL token. */
  public static final String TOKEN_VARIABLE = "CONSUL_HTTP_TOKEN";
  /** The environment variable for a file that holds the ACL token. */
  public static final String TOKEN_FILE_VARIABLE = "CONSUL_HTTP_TOKEN_FILE";
  /** The environment variable for the CA certificates (PEM) that verify the agent over HTTPS. */
  public static final String CA_FILE_VARIABLE = "CONSUL_CACERT";

  /** The default of {@link #WAIT}: 5 minutes, Consul's own default for a blocking query. */
  public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

  /**
   * {@code consul.token}: the ACL token, sent as the {@code X-Consul-Token} header. Empty: {@link
   * #TOKEN_FILE}, then {@value #TOKEN_VARIABLE}, then {@value #TOKEN_FILE_VARIABLE}; none is no
   * token. Default: empty.
   */
  public static final PluginOption<String> TOKEN = PluginOption.ofString("consul.token", "");

  /** {@code consul.token-file}: a file whose content (trimmed) is the ACL token. Default: empty. */
  public static final PluginOption<String> TOKEN_FILE = PluginOption.ofString("consul.token-file", "");

  /**
   * {@code consul.https}: talk HTTPS to the agent. Also on when {@value #SSL_VARIABLE} is {@code
   * true} or {@value #ADDRESS_VARIABLE} starts with {@code https://}. Default: false.
   */
  public static final PluginOption<Boolean> HTTPS = PluginOption.ofBoolean("consul.https", false);

  /**
   * {@code consul.ca-file}: PEM certificates that verify the agent over HTTPS, instead of the JDK's
   * trust store. Empty: {@value #CA_FILE_VARIABLE}, else the JDK's. Default: empty.
   */
  public static final PluginOption<String> CA_FILE = PluginOption.ofString("consul.ca-file", "");

  /**
   * {@code consul.wait}: how long one blocking query may wait for a change (Consul's {@code wait},
   * 1 s to 10 min; whole seconds). The HTTP read timeout is set above it (wait + wait/16, Consul's
   * jitter, + 3 s). Default: {@link #DEFAULT_WAIT}.
   */
  public static final PluginOption<Duration> WAIT = PluginOption.ofDuration("consul.wait", DEFAULT_WAIT);

  /**
   * {@code consul.fallback-to-all}: when no instance passes its checks, use all of them rather
   * than none. Default: false (only passing instances, as Consul's {@code ?passing}).
   */
  public static final PluginOption<Boolean> FALLBACK_TO_ALL =
      PluginOption.ofBoolean("consul.fallback-to-all", false);

  /**
   * {@code consul.service-config}: watch the KV key of the service config (the target's {@code
   * config} parameter, else {@code grpc/service-config/<service>}). Default: true (never when the
   * channel ignores resolver service configs).
   */
  public static final PluginOption<Boolean> SERVICE_CONFIG =
      PluginOption.ofBoolean("consul.service-config", true);

  /** Every option above, as {@code ResolverProvider.options()} lists them. */
  public static final List<PluginOption<?>> ALL =
      List.of(TOKEN, TOKEN_FILE, HTTPS, CA_FILE, WAIT, FALLBACK_TO_ALL, SERVICE_CONFIG);

  private ConsulResolverOptions() {}
}
