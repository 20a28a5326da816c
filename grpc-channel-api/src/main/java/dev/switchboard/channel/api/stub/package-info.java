/**
 * Call styles on top of {@link dev.switchboard.channel.api.ClientCall}, for applications and
 * generated-stub-free code: {@link dev.switchboard.channel.api.stub.ClientCalls} (blocking,
 * future, and {@link dev.switchboard.channel.api.stub.StreamObserver} styles with flow control),
 * {@link dev.switchboard.channel.api.stub.ClientInterceptors}, forwarding bases for
 * interceptors, and the bases of generated stubs ({@link
 * dev.switchboard.channel.api.stub.AbstractStub} and its blocking, future and async kinds, which
 * protoc-gen-switchboard's {@code Switchboard<Service>Grpc} classes extend).
 *
 * <p>Threading: blocking calls run their callbacks on the calling thread; asynchronous calls run
 * the response observer on the call's executor ({@link
 * dev.switchboard.channel.api.CallOptions#withExecutor}, or the channel's default).
 *
 * @since 0.1
 */
package dev.switchboard.channel.api.stub;
