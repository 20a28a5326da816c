package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.core.PluginRegistry;
import dev.switchboard.channel.testing.backend.TestMethods;
import dev.switchboard.channel.api.ErrorText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
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
 * <p>With {@code --data} or {@code --protoset} ({@link CallSettings#json()}) it makes one
 * {@link JsonCall} instead, on the same channel (target, {@code --plaintext}, {@code --lb}, plugin
 * options) with the same {@code --deadline}: the types come from the descriptor set, else from
 * server reflection ({@link ReflectionSource}); {@code --data @-} reads the requests from stdin,
 * {@code --data @FILE} from a file.
 *
 * <p>Not thread-safe: runs once on the main thread.
 */
final class CallCommand {
  private final InputStream in;
  private final PrintStream out;
  private final ImageDefaults defaults;
  private final PluginRegistry registry;

  /** A command without stdin: {@code --data @-} reads nothing. */
  CallCommand(PrintStream out, ImageDefaults defaults, PluginRegistry registry) {
    this(InputStream.nullInputStream(), out, defaults, registry);
  }

  /**
   * @param in where {@code --data @-} reads the requests from
   */
  CallCommand(InputStream in, PrintStream out, ImageDefaults defaults, PluginRegistry registry) {
    this.in = requireNonNull(in, "in");
    this.out = requireNonNull(out, "out");
    this.defaults = requireNonNull(defaults, "defaults");
    this.registry = requireNonNull(registry, "registry");
  }

  void run(CallSettings settings, PluginOptionArgs options) throws CliException, InterruptedException {
    // Read before the channel exists: a bad file fails without a connection.
    Optional<ProtosetSource> protoset = settings.protoset().isEmpty() ? Optional.empty()
        : Optional.of(protoset("call", settings.protoset().get()));
    ManagedChannel channel = channel("call", settings.target(), settings.policy(),
        settings.plaintext(), registry, defaults, options);
    try {
      if (settings.json()) {
        runJson(channel, settings, protoset);
        return;
      }
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

  private void runJson(ManagedChannel channel, CallSettings settings,
      Optional<ProtosetSource> protoset) throws CliException, InterruptedException {
    Optional<String> data = settings.data();
    String source = data.map(d -> d.equals("@-") ? "stdin" : d.startsWith("@") ? "--data " + d : "--data")
        .orElse("--data");
    try (DescriptorSource types = protoset.isPresent() ? protoset.get()
        : new ReflectionSource(channel, settings.target(), settings.deadline());
        Reader requests = requests(data)) {
      new JsonCall(channel, settings.target(), out).run(types, settings.service(), settings.method(),
          Optional.ofNullable(requests), source, settings.deadline());
    } catch (IOException e) {
      throw CliException.failure("call: " + source + ": " + e);
    } catch (CliException e) {
      throw e.withPrefix("call: ");
    }
  }

  /** Returns the reader of {@code --data}: stdin, a file or the text itself; null without one. */
  private Reader requests(Optional<String> data) throws CliException {
    if (data.isEmpty()) {
      return null;
    }
    String d = data.get();
    if (d.equals("@-")) {
      return new InputStreamReader(in, StandardCharsets.UTF_8);
    }
    if (d.startsWith("@")) {
      try {
        return Files.newBufferedReader(Path.of(d.substring(1)), StandardCharsets.UTF_8);
      } catch (IOException | InvalidPathException e) {
        throw CliException.usage("--data " + ErrorText.quote(d) + ": cannot be read: " + e);
      }
    }
    return new StringReader(d);
  }

  /** Reads the descriptor set {@code file} for {@code command}, errors prefixed with it. */
  static ProtosetSource protoset(String command, String file) throws CliException {
    try {
      return ProtosetSource.read(Path.of(file));
    } catch (InvalidPathException e) {
      throw CliException.usage(command + ": --protoset " + ErrorText.quote(file) + ": " + e.getMessage());
    } catch (CliException e) {
      throw e.withPrefix(command + ": ");
    }
  }

  /**
   * Builds the channel of {@code command} ({@code call}, {@code describe}) to {@code target}.
   *
   * @param policy the default policy, or empty for the image's, then the channel's
   */
  static ManagedChannel channel(String command, String target, String policy, boolean plaintext,
      PluginRegistry registry, ImageDefaults defaults, PluginOptionArgs options) throws CliException {
    ChannelBuilder b = ChannelBuilder.forTarget(target).pluginRegistry(registry);
    options.applyTo(b);
    defaults.defaultScheme().ifPresent(b::defaultScheme);
    if (!policy.isEmpty()) {
      b.defaultLoadBalancingPolicy(policy);
    }
    if (plaintext) {
      b.usePlaintext();
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      // A malformed target, a scheme or a policy with no provider: the message names it.
      throw CliException.usage(command + ": " + e.getMessage());
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
