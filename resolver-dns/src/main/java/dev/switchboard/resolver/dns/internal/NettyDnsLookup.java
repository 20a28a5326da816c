package dev.switchboard.resolver.dns.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.switchboard.channel.api.Attributes;
import dev.switchboard.channel.api.ErrorText;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.resolver.Address;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.HostsFileEntriesResolver;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsErrorCauseException;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Resolves a host name with netty's DNS resolver: A and AAAA records for the addresses, and when
 * enabled SRV {@code _grpclb._tcp.<host>} for grpclb balancers and TXT {@code _grpc_config.<host>}
 * for the service config, all queried at once.
 *
 * <h2>Ownership</h2>
 *
 * <p>Each lookup owns a one-thread event loop (a daemon thread named {@code switchboard-dns-…}) and
 * a netty {@link DnsNameResolver} on it; {@link #close()} closes both without waiting. Netty's
 * caches are off: the channel's re-resolution policy (and its rate limit) decides when to ask
 * again, and every answer comes from the DNS server. DNS record buffers are released here, as soon
 * as they are read.
 *
 * <h2>Servers</h2>
 *
 * <p>With a DNS server named by the target, only that server is asked, without search domains or
 * the hosts file. Otherwise netty's defaults apply: the system's name servers, search domains and
 * {@code ndots} from {@code /etc/resolv.conf}, and the hosts file first.
 *
 * <h2>Failures</h2>
 *
 * <p>The whole resolution ends within the query timeout: whatever has not answered by then counts
 * as failed. A failed A/AAAA lookup fails the resolution with {@code UNAVAILABLE} naming the host
 * (NXDOMAIN and timeouts are told apart), unless SRV found balancers, in which case the resolution
 * succeeds with no addresses besides them (as in grpc-java). A failed SRV or TXT lookup counts as
 * "none" and is logged at DEBUG: most hosts have neither record.
 *
 * <p>Thread-safe.
 */
final class NettyDnsLookup implements DnsLookup {
  private static final Logger LOG = System.getLogger(NettyDnsLookup.class.getName());

  static final String SRV_PREFIX = "_grpclb._tcp.";
  static final String TXT_PREFIX = "_grpc_config.";

  /** Answers nothing: with an explicit DNS server the hosts file must not shadow its records. */
  private static final HostsFileEntriesResolver NO_HOSTS_FILE = (name, types) -> null;

  private final String host;
  private final int port;
  private final boolean grpclb;
  private final boolean serviceConfig;
  private final long timeoutMillis;
  private final String servers;
  private final EventLoopGroup group;
  private final EventLoop loop;
  private final DnsNameResolver resolver;
  private final AtomicBoolean closed = new AtomicBoolean();

  NettyDnsLookup(DnsTarget target, boolean grpclb, boolean serviceConfig, Duration timeout) {
    this.host = target.host();
    this.port = target.port();
    this.grpclb = grpclb;
    this.serviceConfig = serviceConfig;
    this.timeoutMillis = Math.max(1, timeout.toMillis());
    this.servers = target.dnsServer() == null
        ? "the system's DNS servers"
        : "DNS server " + target.dnsServer().getAddress().getHostAddress() + ":" + target.dnsServer().getPort();
    this.group = new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("switchboard-dns", true), NioIoHandler.newFactory());
    this.loop = group.next();
    try {
      DnsNameResolverBuilder builder = new DnsNameResolverBuilder(loop)
          .datagramChannelType(NioDatagramChannel.class)
          .socketChannelType(NioSocketChannel.class) // TCP when an answer is truncated
          .queryTimeoutMillis(timeoutMillis)
          .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
          .completeOncePreferredResolved(false)
          .resolveCache(NoopDnsCache.INSTANCE)
          .cnameCache(NoopDnsCnameCache.INSTANCE)
          .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE);
      if (target.dnsServer() != null) {
        builder.nameServerProvider(new SingletonDnsServerAddressStreamProvider(target.dnsServer()))
            .searchDomains(List.of())
            .hostsFileEntriesResolver(NO_HOSTS_FILE);
      }
      this.resolver = builder.build();
    } catch (RuntimeException | Error e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e;
    }
  }

  @Override
  public void resolve(Consumer<Resolution> done) {
    try {
      loop.execute(() -> start(done));
    } catch (RejectedExecutionException e) {
      // Closed: the outcome never comes, as the contract allows.
    }
  }

  /** Runs on the event loop. */
  private void start(Consumer<Resolution> done) {
    CompletableFuture<List<InetAddress>> addresses = new CompletableFuture<>();
    resolver.resolveAll(host).addListener((Future<List<InetAddress>> f) -> {
      if (f.isSuccess()) {
        addresses.complete(f.getNow());
      } else {
        addresses.completeExceptionally(f.cause());
      }
    });
    CompletableFuture<List<Address>> balancers =
        grpclb ? lookUpBalancers() : CompletableFuture.completedFuture(List.of());
    CompletableFuture<List<String>> txt =
        serviceConfig ? lookUpTxt() : CompletableFuture.completedFuture(null);
    ScheduledFuture<?> guard = loop.schedule(() -> {
      addresses.completeExceptionally(new TimeoutException());
      balancers.complete(List.of());
      txt.complete(null);
    }, timeoutMillis, TimeUnit.MILLISECONDS);
    CompletableFuture.allOf(addresses.handle((a, e) -> null), balancers, txt).thenRun(() -> {
      guard.cancel(false);
      done.accept(combine(addresses, balancers.join(), txt.join()));
    });
  }

  private Resolution combine(
      CompletableFuture<List<InetAddress>> addresses, List<Address> balancers, List<String> txt) {
    Throwable failure = addresses.handle((a, e) -> e).join();
    if (failure == null) {
      List<InetSocketAddress> found = new ArrayList<>();
      for (InetAddress a : addresses.join()) {
        found.add(new InetSocketAddress(a, port));
      }
      return Resolution.found(found, balancers, txt);
    }
    Status error = error(failure instanceof CompletionException ? failure.getCause() : failure);
    if (!balancers.isEmpty()) {
      LOG.log(Level.DEBUG, () -> "grpclb balancers found despite: " + error);
      return Resolution.found(List.of(), balancers, txt);
    }
    return Resolution.failed(error);
  }

  private Status error(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof DnsErrorCauseException dns && DnsResponseCode.NXDOMAIN.equals(dns.getCode())) {
        return Status.UNAVAILABLE
            .withDescription("DNS name " + ErrorText.quote(host) + " does not exist (NXDOMAIN from " + servers + ")")
            .withCause(cause);
      }
      if (t instanceof TimeoutException || t instanceof DnsNameResolverTimeoutException) {
        return Status.UNAVAILABLE
            .withDescription("DNS lookup of " + ErrorText.quote(host) + " timed out after " + timeoutMillis
                + " ms (" + servers + ")")
            .withCause(cause);
      }
    }
    return Status.UNAVAILABLE
        .withDescription("DNS lookup of " + ErrorText.quote(host) + " failed (" + servers + "): " + cause.getMessage())
        .withCause(cause);
  }

  /** SRV records, then the A/AAAA addresses of each target; targets that fail are skipped. */
  private CompletableFuture<List<Address>> lookUpBalancers() {
    CompletableFuture<List<Address>> result = new CompletableFuture<>();
    String name = SRV_PREFIX + host;
    query(name, DnsRecordType.SRV, NettyDnsLookup::srvTargets).whenComplete((targets, error) -> {
      if (error != null) {
        LOG.log(Level.DEBUG, () -> "no SRV record " + name + ": " + error);
        result.complete(List.of());
        return;
      }
      List<CompletableFuture<List<Address>>> each = new ArrayList<>();
      for (InetSocketAddress srv : targets) {
        each.add(balancerAddresses(srv.getHostString(), srv.getPort()));
      }
      CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0])).thenRun(() -> {
        List<Address> all = new ArrayList<>();
        each.forEach(f -> all.addAll(f.join()));
        result.complete(all);
      });
    });
    return result;
  }

  private CompletableFuture<List<Address>> balancerAddresses(String target, int srvPort) {
    CompletableFuture<List<Address>> result = new CompletableFuture<>();
    Attributes attributes = Attributes.newBuilder().set(Address.AUTHORITY_OVERRIDE, target).build();
    resolver.resolveAll(target).addListener((Future<List<InetAddress>> f) -> {
      if (!f.isSuccess()) {
        LOG.log(Level.DEBUG, () -> "grpclb balancer " + target + " skipped: " + f.cause());
        result.complete(List.of());
        return;
      }
      List<Address> found = new ArrayList<>();
      for (InetAddress a : f.getNow()) {
        found.add(Address.newBuilder(new InetSocketAddress(a, srvPort)).attributes(attributes).build());
      }
      result.complete(found);
    });
    return result;
  }

  private CompletableFuture<List<String>> lookUpTxt() {
    String name = TXT_PREFIX + host;
    return query(name, DnsRecordType.TXT, NettyDnsLookup::txtStrings).exceptionally(error -> {
      LOG.log(Level.DEBUG, () -> "no TXT record " + name + ": " + error);
      return null;
    });
  }

  /** Queries {@code name} for records of {@code type}, parses them and releases them. */
  private <T> CompletableFuture<T> query(
      String name, DnsRecordType type, Function<List<DnsRawRecord>, T> parse) {
    CompletableFuture<T> result = new CompletableFuture<>();
    resolver.resolveAll(new DefaultDnsQuestion(name, type)).addListener(
        (Future<List<DnsRecord>> f) -> {
          if (!f.isSuccess()) {
            result.completeExceptionally(f.cause());
            return;
          }
          List<DnsRecord> records = f.getNow();
          try {
            List<DnsRawRecord> raw = new ArrayList<>();
            for (DnsRecord r : records) {
              if (r.type().equals(type) && r instanceof DnsRawRecord rr) {
                raw.add(rr);
              }
            }
            result.complete(parse.apply(raw));
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          } finally {
            records.forEach(ReferenceCountUtil::release);
          }
        });
    return result;
  }

  /**
   * Reads SRV RDATA (RFC 2782): priority, weight, port, target. The targets keep the server's
   * order; as in grpc-java, priority and weight are not used.
   */
  private static List<InetSocketAddress> srvTargets(List<DnsRawRecord> records) {
    List<InetSocketAddress> targets = new ArrayList<>();
    for (DnsRawRecord r : records) {
      // The content is a view of the whole message, so compressed names resolve.
      ByteBuf in = r.content().duplicate();
      in.skipBytes(4);
      int srvPort = in.readUnsignedShort();
      String target = DefaultDnsRecordDecoder.decodeName(in);
      if (target.endsWith(".")) {
        target = target.substring(0, target.length() - 1);
      }
      targets.add(InetSocketAddress.createUnresolved(target, srvPort));
    }
    return targets;
  }

  /** Reads TXT RDATA: length-prefixed strings, joined (a long value is split into several). */
  private static List<String> txtStrings(List<DnsRawRecord> records) {
    List<String> txt = new ArrayList<>();
    for (DnsRawRecord r : records) {
      ByteBuf in = r.content();
      StringBuilder joined = new StringBuilder();
      int i = in.readerIndex();
      while (i < in.writerIndex()) {
        int length = Math.min(in.getUnsignedByte(i), in.writerIndex() - i - 1);
        joined.append(in.toString(i + 1, length, UTF_8));
        i += 1 + length;
      }
      txt.add(joined.toString());
    }
    return txt;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      loop.execute(resolver::close);
    } catch (RejectedExecutionException e) {
      // Already shutting down.
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
