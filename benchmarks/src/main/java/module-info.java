/**
 * JMH benchmarks of Switchboard's hot paths: {@code Picker.pick} of {@code round_robin} and
 * {@code pick_first}, and a resolver update of N addresses through {@code round_robin} to a READY
 * picker. Not part of the image; compiled by the normal build so it cannot rot, and run with
 * {@code scripts/bench.sh} (on the class path, where JMH expects its generated code).
 *
 * <p>Balancers are found as a user's channel finds them, through the plugin registry, and driven
 * with the testing kit's fake {@code ClientConn}.
 */
module dev.switchboard.benchmarks {
  requires dev.switchboard.channel.api;
  requires dev.switchboard.channel.core;
  requires dev.switchboard.channel.testing;
  requires jmh.core;
}
