package com.example.greeter;

import com.example.greeter.api.HelloReply;
import com.example.greeter.api.HelloRequest;
import com.example.greeter.api.HelloStreamRequest;
import com.example.greeter.api.SwitchboardGreeterGrpc;
import com.example.greeter.api.SwitchboardGreeterGrpc.GreeterBlockingStub;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.core.ChannelBuilder;
import java.time.Duration;
import java.util.Iterator;

/**
 * {@code greeter TARGET NAME [COUNT]}: calls {@code SayHello} once and {@code SayHelloStream} for
 * COUNT replies (default 3) on the greeter at TARGET (plain text), and prints each reply on a line
 * of its own. A failed call prints one line on standard error and exits with 1; bad arguments exit
 * with 2.
 */
public final class Main {

  private Main() {}

  /**
   * Runs the greeter client.
   *
   * @param args TARGET NAME [COUNT]
   */
  public static void main(String[] args) {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: greeter TARGET NAME [COUNT]");
      System.exit(2);
    }
    int count = 3;
    if (args.length == 3) {
      try {
        count = Integer.parseInt(args[2]);
      } catch (NumberFormatException e) {
        System.err.println("greeter: COUNT: \"" + args[2] + "\" (expected: a number)");
        System.exit(2);
      }
    }
    int exitCode = 0;
    try (ManagedChannel channel = ChannelBuilder.forTarget(args[0]).usePlaintext().build()) {
      GreeterBlockingStub greeter = SwitchboardGreeterGrpc.newBlockingStub(channel)
          .withDeadlineAfter(Duration.ofSeconds(20));
      HelloReply reply = greeter.sayHello(HelloRequest.newBuilder().setName(args[1]).build());
      System.out.println("unary: " + reply.getMessage());
      Iterator<HelloReply> replies = greeter.sayHelloStream(
          HelloStreamRequest.newBuilder().setName(args[1]).setCount(count).build());
      int n = 0;
      while (replies.hasNext()) {
        System.out.println("stream " + ++n + ": " + replies.next().getMessage());
      }
      System.out.println("stream done: " + n + " replies");
    } catch (StatusException e) {
      System.err.println("greeter: call failed: " + e.status().code() + ": " + e.status().description().orElse(""));
      exitCode = 1;
    }
    System.out.flush();
    System.exit(exitCode);
  }
}
