package dev.switchboard.channel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ConnectivityState;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.ClientConnState;
import dev.switchboard.channel.api.balancer.PickResult;
import dev.switchboard.channel.api.balancer.SubConnState;
import dev.switchboard.channel.api.resolver.Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link BalancerProvider} must meet. A provider module extends it in its tests:
 *
 * <pre>{@code
 * class RoundRobinProviderContractTest extends BalancerProviderContractTest<RoundRobinConfig> {
 *   protected BalancerProvider<RoundRobinConfig> provider() { return new RoundRobinBalancerProvider(); }
 * }
 * }</pre>
 *
 * <p>It checks: the policy name is non-empty; the priority is within 0..10; {@code parseConfig}
 * never throws and accepts {@code {}}; given three addresses the balancer creates subconns and,
 * once they are READY, publishes a READY picker whose picks complete on READY subconns; an empty
 * address list is answered with a status, not a throw, and not with a picker that queues calls
 * with nothing left to wait for; a resolver error before any update publishes
 * {@code TRANSIENT_FAILURE} with a picker that fails calls with that error; {@code close} shuts
 * down every subconn; every call into the {@link FakeBalancerClientConn} happens on its
 * synchronization context (checked after every test); the provider is declared in the module
 * descriptor and in {@code META-INF/services}.
 *
 * <p>The balancer is created and driven on the synchronization context, as the channel does.
 * Subconns are played READY with {@link FakeSubConn#deliverState}: every subconn asked to connect
 * goes {@code CONNECTING} then {@code READY}.
 *
 * <p>Not thread-safe: JUnit runs one test method of an instance at a time.
 *
 * @param <C> the type of the policy's parsed config
 * @since 0.1
 */
public abstract class BalancerProviderContractTest<C> {

  /** The error the contract test reports as a resolver failure. */
  protected static final Status RESOLVER_ERROR =
      Status.UNAVAILABLE.withDescription("contract test: the resolver failed");

  private FakeBalancerClientConn conn;
  private Balancer<C> balancer;

  /** Creates the test; JUnit calls it. */
  protected BalancerProviderContractTest() {}

  /** Returns the provider under test; may return the same instance every time. */
  protected abstract BalancerProvider<C> provider();

  /**
   * Returns the balancer config given with every update, as the channel would after parsing the
   * policy's entry of {@code loadBalancingConfig}. Default: the provider's parse of {@code {}}.
   */
  protected C balancerConfig() {
    ConfigOrError<C> parsed = provider().parseConfig(Map.of(), conn.balancerRegistry());
    return parsed.config().orElseThrow(
        () -> new AssertionError("parseConfig({}) failed: " + parsed.status()));
  }

  /** Returns three distinct resolved loopback addresses. */
  protected List<Address> threeAddresses() {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    return List.of(
        Address.of(new InetSocketAddress(loopback, 10001)),
        Address.of(new InetSocketAddress(loopback, 10002)),
        Address.of(new InetSocketAddress(loopback, 10003)));
  }

  /**
   * Returns the resolver attributes given with every update. Default: none. A policy that needs
   * more than addresses from the resolver sets them here (grpclb: {@link
   * dev.switchboard.channel.api.resolver.ResolverState#GRPCLB_BALANCER_ADDRESSES}, a balancer the
   * test started, reachable through the conn's {@linkplain FakeBalancerClientConn#createOobChannel
   * out-of-band channels}).
   */
  protected Attributes resolverAttributes() {
    return Attributes.EMPTY;
  }

  /**
   * Called on the test thread, outside the synchronization context, after every update the
   * contract test makes. Default: nothing. A policy that learns its backends asynchronously (grpclb,
   * from its balancer) waits here, with a deadline, until it has acted on them.
   */
  protected void afterUpdate() {}

  /** Returns the fake conn of the current test. */
  protected final FakeBalancerClientConn conn() {
    return conn;
  }

  /** Returns the balancer of the current test. */
  protected final Balancer<C> balancer() {
    return balancer;
  }

  /** Creates the conn and, on its synchronization context, the balancer. */
  @BeforeEach
  public void createBalancer() {
    conn = FakeBalancerClientConn.create();
    AtomicReference<Balancer<C>> created = new AtomicReference<>();
    conn.runInContext(() -> created.set(provider().newBalancer(conn, BalancerArgs.defaults())));
    balancer = created.get();
    assertThat(balancer).as("newBalancer() result").isNotNull();
  }

  /** Closes the balancer and checks that every call into the conn was on the synchronization context. */
  @AfterEach
  public void closeBalancerAndCheckThreading() {
    if (balancer != null) {
      conn.runInContext(balancer::close);
    }
    conn.assertNoViolations();
  }

  /** Runs {@code call} on the context; a throw is rethrown here, naming {@code what}. */
  private <T> T inContext(String what, Supplier<T> call) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<RuntimeException> thrown = new AtomicReference<>();
    conn.runInContext(() -> {
      try {
        result.set(call.get());
      } catch (RuntimeException e) {
        thrown.set(e);
      }
    });
    if (thrown.get() != null) {
      throw new AssertionError(what + " threw " + thrown.get() + " (expected: errors as a Status)", thrown.get());
    }
    return result.get();
  }

  private Status update(List<Address> addresses) {
    ClientConnState<C> state = ClientConnState.newBuilder(balancerConfig())
        .addresses(addresses)
        .attributes(resolverAttributes())
        .build();
    Status status = inContext("updateClientConnState(" + addresses + ")", () -> balancer.updateClientConnState(state));
    afterUpdate();
    return status;
  }

  /**
   * Plays every subconn that was asked to connect {@code CONNECTING} then {@code READY}, until no
   * new subconn asks; returns the subconns delivered READY and not shut down.
   */
  private Set<FakeSubConn> playReady() {
    Set<FakeSubConn> ready = new HashSet<>();
    for (int round = 0; round < 10; round++) {
      boolean delivered = false;
      for (FakeSubConn sc : conn.liveSubConns()) {
        if (sc.connectCount() > 0 && !ready.contains(sc)) {
          sc.deliverState(SubConnState.of(ConnectivityState.CONNECTING));
          sc.deliverState(SubConnState.of(ConnectivityState.READY));
          ready.add(sc);
          delivered = true;
        }
      }
      if (!delivered) {
        break;
      }
    }
    ready.removeIf(FakeSubConn::isShutdown);
    return ready;
  }

  /** The policy name is non-empty. */
  @Test
  public void policyNameIsNonEmpty() {
    assertThat(provider().policyName()).as("policyName()").isNotNull().isNotBlank();
  }

  /** The priority is within 0..10. */
  @Test
  public void priorityIsWithinZeroToTen() {
    assertThat(provider().priority()).as("priority()").isBetween(0, 10);
  }

  /** {@code parseConfig} accepts {@code {}} and answers garbage with a value, never a throw. */
  @Test
  public void parseConfigNeverThrowsAndAcceptsEmptyConfig() {
    ConfigOrError<C> empty = provider().parseConfig(Map.of(), conn.balancerRegistry());
    assertThat(empty).as("parseConfig({})").isNotNull();
    assertThat(empty.isOk()).as("parseConfig({}) is OK: %s", empty).isTrue();

    Map<String, Object> withNull = new HashMap<>();
    withNull.put("childPolicy", null);
    List<Map<String, ?>> garbage = List.of(
        Map.of("shuffleAddressList", "yes"),
        Map.of("childPolicy", 42.0),
        Map.of("childPolicy", List.of(Map.of("no_such_policy", Map.of()))),
        Map.of("", List.of(1.0, "two", false)),
        Map.of("nested", Map.of("deeper", Map.of("x", -1.0))),
        withNull);
    for (Map<String, ?> raw : garbage) {
      assertThatCode(() -> assertThat(provider().parseConfig(raw, conn.balancerRegistry()))
              .as("parseConfig(%s)", raw).isNotNull())
          .as("parseConfig(%s)", raw)
          .doesNotThrowAnyException();
    }
  }

  /**
   * Given three addresses, the balancer creates subconns for them and, once those are READY,
   * publishes a READY picker whose picks complete on READY subconns.
   */
  @Test
  public void threeAddressesGiveReadyPickerOnReadySubConns() {
    List<Address> addresses = threeAddresses();
    Status status = update(addresses);
    assertThat(status).as("updateClientConnState(3 addresses)").isNotNull();
    assertThat(status.isOk()).as("updateClientConnState(3 addresses) is OK: %s", status).isTrue();
    conn.runInContext(balancer::exitIdle);

    assertThat(conn.subConns()).as("subconns created for %s", addresses).isNotEmpty();
    for (FakeSubConn sc : conn.subConns()) {
      assertThat(addresses).as("addresses of %s", sc).containsAll(sc.addresses());
    }
    assertThat(conn.liveSubConns())
        .as("subconns asked to connect after an update and exitIdle(): %s", conn.subConns())
        .anyMatch(sc -> sc.connectCount() > 0);

    Set<FakeSubConn> ready = playReady();
    assertThat(ready).as("subconns READY and not shut down").isNotEmpty();
    FakeBalancerClientConn.Update last = conn.lastUpdate()
        .orElseThrow(() -> new AssertionError("no picker published after subconns became READY"));
    assertThat(last.state()).as("state published after subconns became READY").isEqualTo(ConnectivityState.READY);
    for (int i = 0; i < 30; i++) {
      PickResult result = FakeBalancerClientConn.pick(last.picker());
      assertThat(result).as("pick %s of the READY picker", i).isInstanceOf(PickResult.Complete.class);
      assertThat(ready).as("pick %s lands on a READY subconn", i)
          .anyMatch(sc -> sc == ((PickResult.Complete) result).subConn());
    }
  }

  /**
   * An empty address list is answered with a status, not a throw, and does not leave a picker that
   * queues calls with no subconn left to become READY.
   */
  @Test
  public void emptyAddressListIsAnsweredWithStatusAndNoHangingPicker() {
    AtomicReference<Status> status = new AtomicReference<>();
    assertThatCode(() -> status.set(update(List.of())))
        .as("updateClientConnState(no addresses)")
        .doesNotThrowAnyException();
    assertThat(status.get()).as("updateClientConnState(no addresses)").isNotNull();
    conn.lastUpdate().ifPresent(last -> {
      PickResult result = FakeBalancerClientConn.pick(last.picker());
      if (result instanceof PickResult.Queue) {
        assertThat(conn.liveSubConns())
            .as("after an empty address list the picker (state %s) queues calls, but no subconn is "
                + "left that could become READY: calls would hang", last.state())
            .anyMatch(sc -> sc.connectCount() > 0);
      }
    });
  }

  /** A resolver error before any update publishes TRANSIENT_FAILURE with a picker failing with it. */
  @Test
  public void resolverErrorBeforeUpdateFailsPicksWithThatError() {
    conn.runInContext(() -> balancer.resolverError(RESOLVER_ERROR));
    FakeBalancerClientConn.Update last = conn.lastUpdate()
        .orElseThrow(() -> new AssertionError("no picker published after resolverError() before any update"));
    assertThat(last.state()).as("state after resolverError()").isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    PickResult result = FakeBalancerClientConn.pick(last.picker());
    assertThat(result).as("pick after resolverError()").isInstanceOf(PickResult.Fail.class);
    Status failed = ((PickResult.Fail) result).status();
    assertThat(failed.code()).as("code of the failed pick: %s", failed).isEqualTo(RESOLVER_ERROR.code());
    assertThat(failed.description()).as("description of the failed pick: %s", failed)
        .hasValueSatisfying(d -> assertThat(d).contains(RESOLVER_ERROR.description().orElseThrow()));
  }

  /** {@code close} shuts down every subconn the balancer created. */
  @Test
  public void closeShutsDownEverySubConn() {
    update(threeAddresses());
    conn.runInContext(balancer::exitIdle);
    playReady();
    assertThat(conn.subConns()).as("subconns created").isNotEmpty();
    conn.runInContext(balancer::close);
    balancer = null;
    List<FakeSubConn> open = new ArrayList<>(conn.liveSubConns());
    assertThat(open).as("subconns not shut down by close()").isEmpty();
  }

  /** The provider is declared with {@code provides} in module-info and in {@code META-INF/services}. */
  @Test
  public void providerIsDeclaredInModuleInfoAndServiceFiles() {
    Class<?> providerClass = provider().getClass();
    ServiceDeclarations.of(providerClass).assertDeclares(BalancerProvider.class, providerClass);
  }

  /** A full life (update, READY, error, empty update, close) calls the conn only on the context. */
  @Test
  public void everyCallIntoClientConnIsOnSynchronizationContext() {
    update(threeAddresses());
    conn.runInContext(balancer::exitIdle);
    playReady();
    conn.runInContext(() -> balancer.resolverError(RESOLVER_ERROR));
    for (FakeSubConn sc : conn.liveSubConns()) {
      sc.deliverState(SubConnState.forTransientFailure(Status.UNAVAILABLE.withDescription("contract test: lost")));
    }
    update(threeAddresses().subList(0, 1));
    update(List.of());
    conn.runInContext(balancer::close);
    balancer = null;
    conn.assertNoViolations();
  }
}
