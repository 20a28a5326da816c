/**
 * The contracts of Switchboard: the application's call API, and the SPIs between the channel, its
 * name resolvers and its load balancers (grpc-go's {@code resolver.ClientConn} and
 * {@code balancer.ClientConn}).
 *
 * <p>A plugin requires this module and nothing else of Switchboard:
 *
 * <pre>{@code
 * module com.example.resolver.file {
 *   requires dev.switchboard.channel.api;
 *   provides dev.switchboard.channel.api.resolver.ResolverProvider
 *       with com.example.resolver.file.internal.FileResolverProvider;
 * }
 * }</pre>
 *
 * <p>The module requires only {@code java.base}.
 *
 * @since 0.1
 */
module dev.switchboard.channel.api {
  exports dev.switchboard.channel.api;
  exports dev.switchboard.channel.api.resolver;
  exports dev.switchboard.channel.api.balancer;
}
