package dev.switchboard.benchmarks.load;

import io.grpc.Server;
import io.grpc.benchmarks.qps.AsyncServer;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * grpc-java's benchmark server ({@code AsyncServer.BenchmarkServiceImpl}: UnaryCall, StreamingCall,
 * StreamingFromServer, …) on {@code 127.0.0.1:0} with a direct executor and NIO (no native epoll jar
 * resolves for our Netty), set up as {@code AsyncServer --directexecutor} does. Prints
 * {@code PORT <port> PID <pid>} on stdout and runs until its stdin closes.
 */
public final class LoadServer {

  private LoadServer() {}

  /** Runs the server; no arguments. */
  public static void main(String[] args) throws IOException, InterruptedException {
    // Each cancelled stream makes grpc-netty log a warning ("Stream closed before write could take
    // place") when the streaming methods write after the client's cancel: expected here.
    Logger.getLogger("io.grpc").setLevel(Level.SEVERE);
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    // As AsyncServer: 0 = Netty's default, two threads per processor.
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        .channelType(NioServerSocketChannel.class)
        .directExecutor()
        .addService(new AsyncServer.BenchmarkServiceImpl())
        .build()
        .start();
    System.out.println("PORT " + server.getPort() + " PID " + ProcessHandle.current().pid());
    System.out.flush();
    while (System.in.read() != -1) {
      // Whatever arrives is ignored: only the end of the stream matters.
    }
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    System.exit(0);
  }
}
