package dev.switchboard.channel.core.internal.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.CallOptions;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Metadata;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.SynchronizationContext;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.PickInfo;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.Picker;
import dev.switchboard.channel.api.balancer.SubConn;
import dev.switchboard.channel.api.balancer.SubConnOptions;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.channel.api.resolver.Endpoint;
import dev.switchboard.channel.core.PluginRegistry;
import dev.switchboard.channel.api.resolver.Target;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class PickFirstBalancerTest {
  private final SynchronizationContext syncContext = new SynchronizationContext((t, e) -> {
    throw new AssertionError(e);
  });
  private final List<FakeSubConn> subConns = new ArrayList<>();
  private final List<ConnectivityState> states = new ArrayList<>();
  private Picker picker;
  private int resolveNowCount;

  private static final PickInfo PICK = PickInfo.of(
      MethodDescriptor.newBuilder(new Raw(), new Raw())
          .type(MethodDescriptor.MethodType.UNARY).fullMethodName("s/m").build(),
      CallOptions.DEFAULT, new Metadata());

  private static final class Raw implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      return new byte[0];
    }
  }

  private final class FakeSubConn implements SubConn {
    List<Address> addresses;
    final SubConnOptions options;
    int connects;
    boolean shutdown;

    FakeSubConn(List<Address> addresses, SubConnOptions options) {
      this.addresses = addresses;
      this.options = options;
    }

    @Override
    public void connect() {
      connects++;
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public void updateAddresses(List<Address> newAddresses) {
      addresses = newAddresses;
    }

    @Override
    public List<Address> addresses() {
      return addresses;
    }

    @Override
    public Attributes attributes() {
      return options.attributes();
    }

    void set(SubConnState state) {
      syncContext.execute(() -> options.stateListener().onSubConnState(state));
    }
  }

  private final ClientConn conn = new ClientConn() {
    @Override
    public SubConn newSubConn(List<Address> addresses, SubConnOptions options) {
      FakeSubConn s = new FakeSubConn(addresses, options);
      subConns.add(s);
      return s;
    }

    @Override
    public void updateState(ConnectivityState state, Picker newPicker) {
      states.add(state);
      picker = newPicker;
    }

    @Override
    public void resolveNow() {
      resolveNowCount++;
    }

    @Override
    public Target target() {
      return Target.newBuilder("test").endpoint("svc").build();
    }

    @Override
    public String authority() {
      return "svc";
    }

    @Override
    public SynchronizationContext synchronizationContext() {
      return syncContext;
    }

    @Override
    public ScheduledExecutorService scheduler() {
      throw new UnsupportedOperationException();
    }

    @Override
    public ManagedChannel createOobChannel(List<Address> addresses, String authority) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ManagedChannel createResolvingOobChannel(String target) {
      throw new UnsupportedOperationException();
    }
  };

  private final PickFirstBalancer balancer = new PickFirstBalancer(conn);

  private static List<Address> addrs(int... ports) {
    List<Address> list = new ArrayList<>();
    for (int p : ports) {
      list.add(Address.of(new InetSocketAddress("127.0.0.1", p)));
    }
    return list;
  }

  private Status update(List<Address> addresses) {
    Status[] result = new Status[1];
    syncContext.execute(() -> result[0] = balancer.updateClientConnState(
        ClientConnState.newBuilder(PickFirstConfig.DEFAULT).addresses(addresses).build()));
    return result[0];
  }

  @Test
  void endpointsAreFlattenedIntoOneSubConnOverEveryAddressEachOnce() {
    List<Address> a = addrs(1, 2);
    List<Address> b = addrs(2, 3);
    Status[] result = new Status[1];
    syncContext.execute(() -> result[0] = balancer.updateClientConnState(
        ClientConnState.newBuilder(PickFirstConfig.DEFAULT)
            .endpoints(List.of(Endpoint.of(a), Endpoint.of(b))).build()));

    assertThat(result[0].isOk()).isTrue();
    assertThat(subConns).singleElement().satisfies(s -> assertThat(s.addresses).isEqualTo(addrs(1, 2, 3)));
  }

  @Test
  void connectsOneSubConnOverAllAddressesAndServesItWhenReady() {
    assertThat(update(addrs(1, 2)).isOk()).isTrue();

    assertThat(subConns).singleElement().satisfies(s -> {
      assertThat(s.addresses).isEqualTo(addrs(1, 2));
      assertThat(s.connects).isEqualTo(1);
    });
    assertThat(picker.pick(PICK)).isInstanceOf(PickResult.Queue.class);
    subConns.get(0).set(SubConnState.of(ConnectivityState.CONNECTING));
    subConns.get(0).set(SubConnState.of(ConnectivityState.READY));
    assertThat(((PickResult.Complete) picker.pick(PICK)).subConn()).isSameAs(subConns.get(0));
    assertThat(states).endsWith(ConnectivityState.READY);
  }

  @Test
  void transientFailurePickerCarriesTheSubConnsErrorAndStaysUntilReady() {
    update(addrs(1));
    Status error = Status.UNAVAILABLE.withDescription("refused: 127.0.0.1:1");
    subConns.get(0).set(SubConnState.forTransientFailure(error));
    subConns.get(0).set(SubConnState.of(ConnectivityState.CONNECTING));

    assertThat(states).endsWith(ConnectivityState.TRANSIENT_FAILURE);
    assertThat(((PickResult.Fail) picker.pick(PICK)).status()).isSameAs(error);
    assertThat(resolveNowCount).isEqualTo(1);
  }

  @Test
  void emptyAddressListIsRejectedWithTransientFailure() {
    update(addrs(1));

    Status status = update(List.of());

    assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.description().orElse("")).contains("no addresses");
    assertThat(states).endsWith(ConnectivityState.TRANSIENT_FAILURE);
    assertThat(subConns.get(0).shutdown).isTrue();
  }

  @Test
  void idleSubConnReconnectsOnPick() {
    update(addrs(1));
    subConns.get(0).set(SubConnState.of(ConnectivityState.READY));
    subConns.get(0).set(SubConnState.of(ConnectivityState.IDLE));
    assertThat(states).endsWith(ConnectivityState.IDLE);

    assertThat(picker.pick(PICK)).isInstanceOf(PickResult.Queue.class);
    picker.pick(PICK);

    assertThat(subConns.get(0).connects).isEqualTo(2);
  }

  @Test
  void shuffleConfigIsParsedAndBadValuesRejected() {
    PickFirstBalancerProvider provider = new PickFirstBalancerProvider();
    PluginRegistry registry = PluginRegistry.newBuilder().build();
    assertThat(provider.parseConfig(Map.of("shuffleAddressList", true), registry).config())
        .hasValue(new PickFirstConfig(true));
    assertThat(provider.parseConfig(Map.of(), registry).config()).hasValue(PickFirstConfig.DEFAULT);
    assertThat(provider.parseConfig(Map.of("shuffleAddressList", "yes"), registry).status().description()
        .orElse(""))
        .contains("shuffleAddressList");
  }

  @Test
  void resolverErrorIsIgnoredWhileTheSubConnWorks() {
    update(addrs(1));
    subConns.get(0).set(SubConnState.of(ConnectivityState.READY));

    syncContext.execute(() -> balancer.resolverError(Status.UNAVAILABLE.withDescription("dns down")));

    assertThat(states).endsWith(ConnectivityState.READY);
    assertThat(subConns.get(0).shutdown).isFalse();
  }
}
