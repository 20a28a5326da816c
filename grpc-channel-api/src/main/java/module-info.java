/**
 * The contracts of Switchboard: the application's call API, and the SPIs between the channel, its
 * name resolvers and its load balancers (grpc-go's {@code resolver.ClientConn} and
 * {@code balancer.ClientConn}), and in {@code …api.stub} the blocking, future and stream-observer
 * call styles built on {@code ClientCall}, with interceptor helpers.
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
  exports dev.switchboard.channel.api.stub;
}
