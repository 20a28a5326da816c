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
 * [--once]}, {@code switchboard call <target>}, {@code switchboard demo}, {@code switchboard help}. Exit codes:
 * 0 on success, 1 when the command failed, 2 on bad arguments; errors are one line on stderr.
 *
 * @since 0.1
 */
module dev.switchboard.cli {
  requires dev.switchboard.channel.api;
  requires dev.switchboard.channel.core;
  // For demo: TestBackend, TestMethods (also the echo and health descriptors of call). The test
  // backend only, not the testing kit, so that the kit's manual resolver stays out of the image.
  requires dev.switchboard.channel.testing.backend;
}
