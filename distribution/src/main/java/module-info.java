/**
 * The {@code switchboard} command-line tool: it lists the resolvers and balancers it finds, runs a
 * resolver and prints what it reports, makes calls and reports their spread over backends, runs a
 * round_robin demo over three local test backends, and loads plugins from folders at run time.
 *
 * <p>It is the main module of the jlink image that {@code distribution/} builds, whose launcher is
 * {@code bin/switchboard}. The module exports nothing: its only entry is
 * {@code dev.switchboard.cli.internal.Main}. It {@code uses} no service itself: the plugins are
 * found by core's {@link dev.switchboard.channel.core.PluginRegistry}, in the boot layer (the
 * plugins linked into the image) and in one extra {@link java.lang.ModuleLayer} per folder given
 * with {@code --plugin-path} or {@code SWITCHBOARD_PLUGIN_PATH}.
 *
 * <p>Commands: {@code switchboard plugins [--check-defaults]}, {@code switchboard resolve <target>
 * [--once]}, {@code switchboard call <target>} (with {@code --data JSON}: any method called with
 * JSON, its types from server reflection or {@code --protoset FILE}), {@code switchboard describe
 * <target> [SERVICE]}, {@code switchboard demo}, {@code switchboard help}. Exit codes: 0 on
 * success, 1 when the command failed, 2 on bad arguments; errors are one line on stderr.
 *
 * <p>JSON and protobuf: messages are protobuf-java's {@code DynamicMessage}s (module
 * {@code com.google.protobuf}, Switchboard's {@code protobuf-java-jpms}, the one protobuf module of
 * the image), sent with {@code dev.switchboard.channel.protobuf}'s marshallers; the JSON mapping is
 * protobuf-java-util's {@code JsonFormat}, which is not a module: the build relocates it into this
 * module's {@code dev.switchboard.cli.internal.shaded.com.google.protobuf.util} package (see
 * {@code requires static com.google.protobuf.util} below and the distribution README).
 *
 * @since 0.1
 */
module dev.switchboard.cli {
  requires dev.switchboard.channel.api;
  requires dev.switchboard.channel.core;
  // For demo: TestBackend, TestMethods (also the echo and health descriptors of call). The test
  // backend only, not the testing kit, so that the kit's manual resolver stays out of the image.
  requires dev.switchboard.channel.testing.backend;

  // call --data and describe: DynamicMessage, descriptors, the reflection messages' runtime.
  requires com.google.protobuf;
  requires dev.switchboard.channel.protobuf;
  // JSON requests are split into objects with Gson (a real module), which JsonFormat uses too.
  requires com.google.gson;
  // protobuf-java-util (JsonFormat), an automatic module: named here for compiling and for the
  // unit tests (surefire adds it with --add-modules), and relocated into this module when the jar
  // is packaged, so that at run time, and in the image, nothing requires it ("static").
  requires static com.google.protobuf.util;
  // What the relocated JsonFormat itself uses (its logger).
  requires java.logging;

  // The server reflection messages generated from grpc/reflection/v1/reflection.proto.
  exports dev.switchboard.cli.internal.reflection.v1 to com.google.protobuf;
}
