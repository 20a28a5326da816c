/**
 * The {@code consul} name resolver: a service's passing instances from a Consul agent, followed
 * with blocking queries.
 *
 * <h2>Targets</h2>
 *
 * <pre>
 * consul://[host[:port]]/service[?tag=T][&amp;tag=T2…][&amp;dc=DC][&amp;config=KV/KEY]
 * </pre>
 *
 * <ul>
 *   <li>The authority is the agent (port 8500 by default). Without one ({@code consul:///orders})
 *       the agent is {@code CONSUL_HTTP_ADDR} ({@code [http[s]://]host[:port]}), else
 *       {@code 127.0.0.1:8500}. HTTPS: option {@code consul.https}, {@code CONSUL_HTTP_SSL=true} or
 *       an {@code https://} address; the agent's certificate is verified with {@code consul.ca-file}
 *       or {@code CONSUL_CACERT}, else the JDK's trust store.
 *   <li>The path is the service name. Every {@code tag} must be on an instance; {@code dc} asks
 *       another datacenter; {@code config} names the KV key of the service config (default
 *       {@code grpc/service-config/<service>}).
 *   <li>No token in the target (a {@code token} parameter, or credentials before {@code @}, are
 *       refused: targets end up in logs). The ACL token comes from option {@code consul.token},
 *       {@code consul.token-file}, {@code CONSUL_HTTP_TOKEN} or {@code CONSUL_HTTP_TOKEN_FILE}, in
 *       that order, and travels in the {@code X-Consul-Token} header.
 * </ul>
 *
 * <p>A malformed target fails the channel's {@code build()} with an {@link
 * IllegalArgumentException} naming the target and the problem.
 *
 * <h2>Instances</h2>
 *
 * <p>From {@code /v1/health/service/<name>}: the instances whose checks all pass (Consul's {@code
 * ?passing}), or all of them when none passes and {@code consul.fallback-to-all} is on. The address
 * is {@code Service.Address}, or {@code Node.Address} when that is empty (a host name is looked up);
 * the port {@code Service.Port}. Balancer-only attributes: {@link
 * dev.switchboard.resolver.consul.ConsulAttributes}. An instance without an address or with a port
 * out of 1-65535 is left out and named in the state's {@code SKIPPED_INSTANCES}.
 *
 * <h2>Blocking queries</h2>
 *
 * <p>One long poll per distinct watch (agent, service, tags, datacenter, token, wait), shared by
 * every channel that watches the same, on one thread of its own (the default config keys are
 * watched as one folder per agent, {@code grpc/service-config/?recurse}, shared by every service;
 * a key named in the target gets a watch of its own): {@code index} and {@code wait} (option {@code consul.wait}, 5 min
 * by default), a read timeout of wait + wait/16 + 3 s, the index reset to 0 when it goes backwards
 * and never below 1, queries at least 100 ms apart. Errors (no connection, an HTTP error, a hung
 * answer, a body that does not parse, no {@code X-Consul-Index}) are reported as {@code UNAVAILABLE}
 * naming the agent and what it answered, and retried with backoff (1 s doubling to 30 s); the
 * channel keeps the last addresses meanwhile.
 *
 * <h2>Service config</h2>
 *
 * <p>The KV key's value (the config's JSON) is watched with a blocking query too. A missing key or
 * an empty value is no config; a broken one is reported as the state's config error, naming the
 * key, while the addresses keep flowing. Option {@code consul.service-config=false} (or a channel
 * that ignores resolver configs) turns the KV watch off.
 *
 * <p>consul-api and its HTTP client are relocated inside this module (its {@code internal.shaded}
 * packages); Gson is the real module {@code com.google.gson}.
 */
package dev.switchboard.resolver.consul;
