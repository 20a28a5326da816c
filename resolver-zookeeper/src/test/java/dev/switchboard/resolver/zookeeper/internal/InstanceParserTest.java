package dev.switchboard.resolver.zookeeper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.resolver.Address;
import dev.switchboard.resolver.zookeeper.ZookeeperAttributes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InstanceParserTest {

  private static final InstanceParser CURATOR = new InstanceParser(ZookeeperTarget.Format.CURATOR, "port");
  private static final String ZNODE = "/services/orders/i-1";

  /** A payload class of the registrant's, which the resolver does not have. */
  public static final class OrdersPayload {
    public String zone = "eu-1";
    public int weight = 30;
    public java.util.List<String> tags = java.util.List.of("a");
  }

  private static byte[] json(String text) {
    return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  private static Address parsed(InstanceParser parser, byte[] data) {
    InstanceParser.Parsed parsed = parser.parse(ZNODE, data);
    assertThat(parsed.problem()).as("problem").isEmpty();
    assertThat(parsed.socketAddress()).as("address").isPresent();
    return Address.newBuilder(parsed.socketAddress().get()).balancerAttributes(parsed.balancerAttributes()).build();
  }

  private static InetSocketAddress socketAddress(InstanceParser parser, byte[] data) {
    InstanceParser.Parsed parsed = parser.parse(ZNODE, data);
    assertThat(parsed.problem()).as("problem").isEmpty();
    return parsed.socketAddress().orElseThrow();
  }

  private static String problem(InstanceParser parser, String data) {
    InstanceParser.Parsed parsed = parser.parse(ZNODE, json(data));
    assertThat(parsed.socketAddress()).isEmpty();
    assertThat(parsed.problem()).isPresent();
    return parsed.problem().get();
  }

  @Test
  void readsWhatCuratorsServiceDiscoveryWritesWithAPayloadOfAnyClass() throws Exception {
    ServiceInstance<OrdersPayload> instance = ServiceInstance.<OrdersPayload>builder()
        .name("orders").id("i-1").address("10.0.0.7").port(8080).sslPort(8443)
        .payload(new OrdersPayload()).build();
    byte[] data = new JsonInstanceSerializer<>(OrdersPayload.class).serialize(instance);

    Address address = parsed(CURATOR, data);

    assertThat(address.socketAddress()).isEqualTo(new InetSocketAddress(InetAddress.getByName("10.0.0.7"), 8080));
    assertThat(address.balancerAttributes().get(ZookeeperAttributes.INSTANCE_ID)).contains("i-1");
    assertThat(address.balancerAttributes().get(ZookeeperAttributes.ZNODE)).contains(ZNODE);
    assertThat(address.balancerAttributes().get(ZookeeperAttributes.METADATA))
        .contains(Map.of("zone", "eu-1", "weight", "30"));
    assertThat(address.balancerAttributes().get(ZookeeperAttributes.ZONE)).contains("eu-1");
    assertThat(address.balancerAttributes().get(ZookeeperAttributes.WEIGHT)).contains(30);
    assertThat(address.attributes().isEmpty()).as("nothing for the transport").isTrue();
  }

  @Test
  void sslPortIsUsedWhenTheTargetAsksForIt() throws Exception {
    ServiceInstance<Void> instance = ServiceInstance.<Void>builder()
        .name("orders").id("i-1").address("10.0.0.7").port(8080).sslPort(8443).build();
    byte[] data = new JsonInstanceSerializer<>(Void.class).serialize(instance);
    Address address = parsed(new InstanceParser(ZookeeperTarget.Format.CURATOR, "sslPort"), data);
    assertThat(((InetSocketAddress) address.socketAddress()).getPort()).isEqualTo(8443);
  }

  @Test
  void springCloudZookeeperInstancesGiveTheirMetadataWithoutSpringsClasses() {
    // As Spring Cloud Zookeeper registers: a payload of a class that is not on this class path.
    Address address = parsed(CURATOR, json("{'name':'orders','id':'f00','address':'10.0.0.8','port':9090,"
        + "'sslPort':null,'payload':{'@class':'org.springframework.cloud.zookeeper.discovery.ZookeeperInstance',"
        + "'id':'orders-1','name':'orders','metadata':{'zone':'us-2','weight':'5','instance_status':'UP'}},"
        + "'registrationTimeUTC':1700000000000,'serviceType':'DYNAMIC','uriSpec':{'parts':[]}}"));
    assertThat(((InetSocketAddress) address.socketAddress()).getPort()).isEqualTo(9090);
    assertThat(address.balancerAttributes().get(ZookeeperAttributes.METADATA))
        .contains(Map.of("zone", "us-2", "weight", "5", "instance_status", "UP"));
    assertThat(address.balancerAttributes().get(ZookeeperAttributes.ZONE)).contains("us-2");
    assertThat(address.balancerAttributes().get(ZookeeperAttributes.WEIGHT)).contains(5);
  }

  @Test
  void hostNamesAreLeftForTheTransportToLookUpAndIpv6LiteralsAreRead() throws Exception {
    InetSocketAddress named = socketAddress(CURATOR, json("{'id':'a','address':'orders-1.internal','port':80}"));
    assertThat(named.isUnresolved()).isTrue();
    assertThat(named.getHostString()).isEqualTo("orders-1.internal");
    assertThat(parsed(CURATOR, json("{'id':'a','address':'::1','port':80}")).socketAddress())
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 80));
  }

  @Test
  void disabledInstancesAreLeftOutWithoutAProblem() {
    InstanceParser.Parsed parsed = CURATOR.parse(ZNODE, json("{'id':'a','address':'10.0.0.1','port':80,'enabled':false}"));
    assertThat(parsed.socketAddress()).isEmpty();
    assertThat(parsed.problem()).isEmpty();
  }

  @Test
  void portsAtTheLimitsAreTaken() {
    assertThat(parsed(CURATOR, json("{'address':'10.0.0.1','port':1}")).socketAddress())
        .isEqualTo(new InetSocketAddress("10.0.0.1", 1));
    assertThat(parsed(CURATOR, json("{'address':'10.0.0.1','port':65535}")).socketAddress())
        .isEqualTo(new InetSocketAddress("10.0.0.1", 65535));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{'address':'10.0.0.1','port':0}|port 0 is out of range",
      "{'address':'10.0.0.1','port':65536}|port 65536 is out of range",
      "{'address':'10.0.0.1','port':-1}|port -1 is out of range",
      "{'address':'10.0.0.1','port':99999999999999999999}|out of range",
      "{'address':'10.0.0.1','port':'80'}|port is '80' (expected: a whole number 1-65535)",
      "{'address':'10.0.0.1','port':80.5}|port is 80.5",
      "{'address':'10.0.0.1'}|no port",
      "{'address':'10.0.0.1','port':null}|no port",
      "{'port':80}|no address",
      "{'address':'','port':80}|address is ''",
      "{'address':7,'port':80}|address is 7",
      "{'address':'bad host!','port':80}|address 'bad host!'",
      "{'address':'10.0.0.1:90','port':80}|address '10.0.0.1:90'",
      "{'address':'10.0.0.1','port':80,'enabled':'yes'}|enabled is 'yes'",
      "[1,2]|not a JSON object",
      "\"text\"|not a JSON object",
      "{'address':|not JSON",
      "not json at all|not JSON",
  })
  void corruptInstancesAreNamedWithWhatIsWrong(String data, String problem) {
    assertThat(problem(CURATOR, data)).contains(problem);
  }

  @Test
  void emptyZnodeIsCorrupt() {
    assertThat(CURATOR.parse(ZNODE, new byte[0]).problem()).contains("no data (expected: a JSON object)");
    assertThat(CURATOR.parse(ZNODE, null).problem()).contains("no data (expected: a JSON object)");
  }

  @Test
  void serverSetMembersAreReadAndOnlyAliveOnesUsed() throws Exception {
    InstanceParser serverSet = new InstanceParser(ZookeeperTarget.Format.SERVERSET, "serviceEndpoint");
    String member = "{'serviceEndpoint':{'host':'10.0.0.9','port':31010},"
        + "'additionalEndpoints':{'http':{'host':'10.0.0.9','port':8080}},'status':'%s','shard':3}";
    Address alive = parsed(serverSet, json(String.format(member, "ALIVE")));
    assertThat(alive.socketAddress()).isEqualTo(new InetSocketAddress(InetAddress.getByName("10.0.0.9"), 31010));
    assertThat(alive.balancerAttributes().get(ZookeeperAttributes.INSTANCE_ID)).contains("i-1");
    assertThat(alive.balancerAttributes().get(ZookeeperAttributes.METADATA)).contains(Map.of("shard", "3"));
    InstanceParser.Parsed dead = serverSet.parse(ZNODE, json(String.format(member, "DEAD")));
    assertThat(dead.socketAddress()).isEmpty();
    assertThat(dead.problem()).isEmpty();

    InstanceParser http = new InstanceParser(ZookeeperTarget.Format.SERVERSET, "http");
    assertThat(parsed(http, json(String.format(member, "ALIVE"))).socketAddress())
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("10.0.0.9"), 8080));
    InstanceParser admin = new InstanceParser(ZookeeperTarget.Format.SERVERSET, "admin");
    assertThat(problem(admin, String.format(member, "ALIVE"))).isEqualTo("no endpoint 'admin'");
    assertThat(problem(serverSet, "{'serviceEndpoint':{'host':'10.0.0.9','port':0},'status':'ALIVE'}"))
        .contains("port 0 is out of range");
  }
}
