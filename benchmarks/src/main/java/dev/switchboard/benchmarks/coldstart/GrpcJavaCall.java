package dev.switchboard.benchmarks.coldstart;

import dev.switchboard.benchmarks.GrpcJavaMethods;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;

/**
 * grpc-java's side of the cold start: one {@code grpc.health.v1.Health/Check} to {@code host:port}
 * through grpc-netty-shaded (plaintext, blocking call, byte[] marshaller: no protobuf), then
 * {@code System.exit}, as our CLI does. Run on grpc-java's client jars only. Not thread-safe (a main).
 */
public final class GrpcJavaCall {
  private GrpcJavaCall() {}

  public static void main(String[] args) {
    ManagedChannel channel = Grpc.newChannelBuilder(args[0], InsecureChannelCredentials.create()).build();
    int code = 0;
    try {
      byte[] response = ClientCalls.blockingUnaryCall(channel, GrpcJavaMethods.HEALTH_CHECK, CallOptions.DEFAULT, new byte[0]);
      // HealthCheckResponse{status = SERVING}: field 1, varint 1
      boolean serving = response.length == 2 && response[0] == 0x08 && response[1] == 0x01;
      System.out.println(serving ? "SERVING" : "health: " + response.length + " bytes");
      code = serving ? 0 : 1;
    } catch (RuntimeException e) {
      System.err.println("grpc-java call: " + e);
      code = 1;
    }
    channel.shutdownNow();
    System.exit(code);
  }
}
