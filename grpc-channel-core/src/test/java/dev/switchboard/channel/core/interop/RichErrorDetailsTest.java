package dev.switchboard.channel.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.StringValue;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.api.stub.ClientCalls;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.protobuf.ProtoMarshallers;
import dev.switchboard.channel.protobuf.StatusProto;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rich error details written by grpc-java's {@code io.grpc.protobuf.StatusProto} on its server,
 * read by our {@link StatusProto} on the client, through calls whose messages go through {@link
 * ProtoMarshallers}.
 */
class RichErrorDetailsTest {
  private static final String SERVICE = "switchboard.test.Errors";
  private static final MethodDescriptor<StringValue, StringValue> FAIL = MethodDescriptor
      .newBuilder(ProtoMarshallers.marshaller(StringValue.getDefaultInstance()),
          ProtoMarshallers.marshaller(StringValue.getDefaultInstance()))
      .type(MethodDescriptor.MethodType.UNARY)
      .fullMethodName(SERVICE + "/Fail")
      .build();

  private static Server server;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    io.grpc.MethodDescriptor<StringValue, StringValue> fail = io.grpc.MethodDescriptor
        .<StringValue, StringValue>newBuilder()
        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(SERVICE + "/Fail")
        .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .build();
    ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
        .addMethod(fail, ServerCalls.asyncUnaryCall((request, response) -> {
          if (request.getValue().equals("ok")) {
            response.onNext(StringValue.of("fine"));
            response.onCompleted();
            return;
          }
          response.onError(io.grpc.protobuf.StatusProto.toStatusRuntimeException(
              com.google.rpc.Status.newBuilder()
                  .setCode(io.grpc.Status.Code.FAILED_PRECONDITION.value())
                  .setMessage("order " + request.getValue() + " is already shipped")
                  .addDetails(Any.pack(Duration.newBuilder().setSeconds(90).build()))
                  .addDetails(Any.pack(StringValue.of(request.getValue())))
                  .build()));
        }))
        .build();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(service).build().start();
    channel = ChannelBuilder.forTarget("127.0.0.1:" + server.getPort()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.close();
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void detailsSentByGrpcJavasServerReadBackWithTheirCodeMessageAndAnys() throws Exception {
    StatusException e = catchThrowableOfType(StatusException.class, () ->
        ClientCalls.blockingUnaryCall(channel, FAIL, CallOptions.DEFAULT.withDeadlineAfter(
            java.time.Duration.ofSeconds(10)), StringValue.of("o-17")));
    assertThat(e.status().code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    dev.switchboard.channel.protobuf.rpc.Status details = StatusProto.fromThrowable(e).orElseThrow();
    assertThat(details.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION.value());
    assertThat(details.getMessage()).isEqualTo("order o-17 is already shipped");
    assertThat(details.getDetailsCount()).isEqualTo(2);
    assertThat(details.getDetails(0).unpack(Duration.class).getSeconds()).isEqualTo(90);
    assertThat(details.getDetails(1).unpack(StringValue.class).getValue()).isEqualTo("o-17");
  }

  @Test
  void aSuccessfulCallThroughTheSameMarshallersReturnsTheParsedResponse() {
    assertThat(ClientCalls.blockingUnaryCall(channel, FAIL, CallOptions.DEFAULT.withDeadlineAfter(
        java.time.Duration.ofSeconds(10)), StringValue.of("ok")).getValue()).isEqualTo("fine");
  }
}
