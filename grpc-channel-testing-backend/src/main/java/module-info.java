/**
 * The test backend of Switchboard: {@code TestBackend}, a small gRPC server on loopback built on
 * Netty's HTTP/2 codec, and {@code TestMethods}, the descriptors of what it serves.
 *
 * <p>It is a module of its own, apart from the testing kit ({@code dev.switchboard.channel.testing},
 * which requires it transitively), so that a program that only needs backends to call (the
 * {@code switchboard} image's {@code demo}) links neither the kit's {@code manual} resolver nor
 * core: it needs only the API (its descriptors are the API's {@code MethodDescriptor}s, its errors
 * {@code Status}) and Netty. It declares no service and loads none.
 *
 * @since 0.1
 */
module dev.switchboard.channel.testing.backend {
  requires transitive dev.switchboard.channel.api;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.codec.http2;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.transport;

  exports dev.switchboard.channel.testing.backend;
}
