package dev.switchboard.benchmarks.load;

import io.grpc.Server;
import io.grpc.benchmarks.qps.AsyncServer;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * grpc-java's benchmark server ({@code AsyncServer.BenchmarkServiceImpl}: UnaryCall, StreamingCall,
 * StreamingFromServer, …) on {@code 127.0.0.1:0} with a direct executor, set up as
 * {@code AsyncServer --directexecutor --transport=netty_epoll} does: unshaded grpc-netty on our
 * Netty with native epoll ({@code EpollIoHandler}, {@code EpollServerSocketChannel}; the
 * {@code linux-x86_64} native jar comes with our core), NIO only where epoll does not load.
 *
 * <p>Prints {@code PORT <port> PID <pid>} on stdout once listening. Then it reads commands, one a
 * line, from stdin: {@code transport} answers {@code TRANSPORT <name>}, the transport its threads
 * were seen on ({@link TransportProbe}; ask after some calls, when the workers have run). It stops
 * when its stdin closes.
 *
 * <p>Not thread-safe: a command-line entry point.
 */
public final class LoadServer {

  private LoadServer() {}

  /** Runs the server; no arguments. */
  public static void main(String[] args) throws IOException, InterruptedException {
    // Each cancelled stream makes grpc-netty log a warning ("Stream closed before write could take
    // place") when the streaming methods write after the client's cancel: expected here.
    Logger.getLogger("io.grpc").setLevel(Level.SEVERE);
    boolean epoll = Epoll.isAvailable();
    if (!epoll) {
      System.err.println("LoadServer: native epoll unavailable, running on NIO: " + Epoll.unavailabilityCause());
    }
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, io);
    // As AsyncServer: 0 = Netty's default, two threads per processor.
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, io);
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        .channelType(channelType)
        .directExecutor()
        .addService(new AsyncServer.BenchmarkServiceImpl())
        .build()
        .start();
    System.out.println("PORT " + server.getPort() + " PID " + ProcessHandle.current().pid());
    System.out.flush();
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String command = commands.readLine(); command != null; command = commands.readLine()) {
      if (command.trim().equals("transport")) {
        System.out.println("TRANSPORT " + TransportProbe.observe(Map.of()));
        System.out.flush();
      }
    }
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    System.exit(0);
  }
}
