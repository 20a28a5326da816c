package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.core.PluginRegistry;
import dev.switchboard.channel.testing.backend.TestMethods;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * {@code switchboard call <target>}: N unary calls through a channel, then the report.
 *
 * <p>Each call is counted under the {@code host:port} of the backend its connection went to
 * (whatever the method), or under {@link CallStats#NO_BACKEND} when it failed before reaching one.
 * The method decides what is sent: the test echo ({@code switchboard.testing.Echo/Echo}) sends a
 * message, and its label adds the backend name that its response carries; the health check sends
 * {@code ""} (the whole server); any other method sends an empty message and ignores the response.
 *
 * <p>A run where some call failed ends with exit code 1; when none succeeded, only a one-line
 * error with the first failure's status is printed (no report of zeros).
 *
 * <p>Not thread-safe: runs once on the main thread.
 */
final class CallCommand {
  private final PrintStream out;
  private final ImageDefaults defaults;
  private final PluginRegistry registry;

  CallCommand(PrintStream out, ImageDefaults defaults, PluginRegistry registry) {
    this.out = requireNonNull(out, "out");
    this.defaults = requireNonNull(defaults, "defaults");
    this.registry = requireNonNull(registry, "registry");
  }

  void run(CallSettings settings, PluginOptionArgs options) throws CliException, InterruptedException {
    ManagedChannel channel = channel(settings, options);
    try {
      ChannelCaller<?, ?> caller = caller(channel, settings);
      CallRunner.Result result = new CallRunner(caller).run(settings.calls(),
          settings.concurrency(), ProgressBar.forTerminal(out, settings.calls()));
      CallStats.Snapshot stats = result.stats();
      if (stats.failures() == 0) {
        out.print(CallReport.render(stats, result.elapsed()));
        return;
      }
      String first = caller.firstFailure().map(CallCommand::describe).orElse("?");
      if (stats.failures() == stats.calls()) {
        throw CliException.failure("call: " + settings.target() + ": all " + stats.calls()
            + (stats.calls() == 1 ? " call failed (" : " calls failed (first: ") + first + ")");
      }
      out.print(CallReport.render(stats, result.elapsed()));
      throw CliException.failure("call: " + stats.failures() + " of " + stats.calls()
          + " calls failed (first: " + first + ")");
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private ManagedChannel channel(CallSettings settings, PluginOptionArgs options) throws CliException {
    ChannelBuilder b = ChannelBuilder.forTarget(settings.target()).pluginRegistry(registry);
    options.applyTo(b);
    defaults.defaultScheme().ifPresent(b::defaultScheme);
    if (!settings.policy().isEmpty()) {
      b.defaultLoadBalancingPolicy(settings.policy());
    }
    if (settings.plaintext()) {
      b.usePlaintext();
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      // A malformed target, a scheme or a policy with no provider: the message names it.
      throw CliException.usage("call: " + e.getMessage());
    }
  }

  private static ChannelCaller<?, ?> caller(ManagedChannel channel, CallSettings settings) {
    String method = settings.fullMethodName();
    if (method.equals(TestMethods.ECHO.fullMethodName())) {
      return new ChannelCaller<>(channel, TestMethods.ECHO, TestMethods.EchoRequest.of("switchboard"),
          (remote, response) -> ChannelCaller.addressLabel(remote)
              + (response == null ? "" : " (" + response.backend() + ")"),
          CallOptions.DEFAULT, settings.deadline());
    }
    if (method.equals(TestMethods.HEALTH_CHECK.fullMethodName())) {
      return new ChannelCaller<>(channel, TestMethods.HEALTH_CHECK, "",
          ChannelCaller.byAddress(), CallOptions.DEFAULT, settings.deadline());
    }
    MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.newBuilder(BYTES, BYTES)
        .type(MethodDescriptor.MethodType.UNARY)
        .fullMethodName(method)
        .build();
    return new ChannelCaller<>(channel, raw, new byte[0], ChannelCaller.byAddress(),
        CallOptions.DEFAULT, settings.deadline());
  }

  private static String describe(Status status) {
    return status.code() + status.description().map(d -> ": " + d.lines().findFirst().orElse(""))
        .orElse("");
  }

  /** Messages as raw bytes: the CLI knows no schema of an arbitrary method. */
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
}
