package dev.switchboard.channel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.resolver.Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributesTest {

  private static final Attributes.Key<String> ZONE = Attributes.Key.create("zone");
  private static final Attributes.Key<Integer> WEIGHT = Attributes.Key.create("weight");

  @Test
  void builtAttributesHoldWhatWasSet() {
    Attributes a = Attributes.newBuilder().set(ZONE, "eu-1").set(WEIGHT, 3).build();

    assertThat(a.get(ZONE)).contains("eu-1");
    assertThat(a.get(WEIGHT)).contains(3);
    assertThat(a.keys()).containsExactlyInAnyOrder(ZONE, WEIGHT);
    assertThat(a.isEmpty()).isFalse();
  }

  @Test
  void keysCompareByIdentityNotByName() {
    Attributes.Key<String> otherZone = Attributes.Key.create("zone");
    Attributes a = Attributes.newBuilder().set(ZONE, "eu-1").build();

    assertThat(a.get(otherZone)).isEmpty();
    assertThat(otherZone.name()).isEqualTo(ZONE.name());
  }

  @Test
  void equalValuesMakeEqualAttributesWithEqualHashes() {
    Attributes a = Attributes.newBuilder().set(ZONE, new String("eu-1")).build();
    Attributes b = Attributes.newBuilder().set(ZONE, new String("eu-1")).build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(Attributes.newBuilder().set(ZONE, "eu-2").build());
  }

  @Test
  void addressesWithEqualAttributesAreEqual() {
    InetSocketAddress socket = new InetSocketAddress(InetAddress.getLoopbackAddress(), 443);
    Address a = Address.newBuilder(socket).attributes(Attributes.newBuilder()
        .set(Address.AUTHORITY_OVERRIDE, String.join(".", List.of("lb", "example", "com"))).build()).build();
    Address b = Address.newBuilder(socket).attributes(Attributes.newBuilder()
        .set(Address.AUTHORITY_OVERRIDE, String.join(".", List.of("lb", "example", "com"))).build()).build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }

  @Test
  void builtAttributesAreNotChangedByTheBuilderAfterwards() {
    Attributes.Builder builder = Attributes.newBuilder().set(ZONE, "eu-1");
    Attributes built = builder.build();

    builder.set(ZONE, "eu-2").set(WEIGHT, 1);

    assertThat(built.get(ZONE)).contains("eu-1");
    assertThat(built.get(WEIGHT)).isEmpty();
    assertThatThrownBy(() -> built.keys().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toBuilderDiscardAndSetAllDeriveNewAttributes() {
    Attributes base = Attributes.newBuilder().set(ZONE, "eu-1").set(WEIGHT, 3).build();
    Attributes other = Attributes.newBuilder().set(WEIGHT, 7).build();

    Attributes derived = base.toBuilder().discard(ZONE).setAll(other).build();

    assertThat(derived.get(ZONE)).isEmpty();
    assertThat(derived.get(WEIGHT)).contains(7);
    assertThat(base.get(WEIGHT)).contains(3);
  }

  @Test
  void emptyBuildIsTheEmptyConstant() {
    assertThat(Attributes.newBuilder().build()).isSameAs(Attributes.EMPTY);
    assertThat(Attributes.newBuilder().set(ZONE, "x").discard(ZONE).build()).isSameAs(Attributes.EMPTY);
    assertThat(Attributes.EMPTY.isEmpty()).isTrue();
  }

  @Test
  void nullKeysAndValuesAreRefusedByName() {
    assertThatThrownBy(() -> Attributes.newBuilder().set(ZONE, null)).hasMessage("value");
    assertThatThrownBy(() -> Attributes.newBuilder().set(null, "x")).hasMessage("key");
  }
}
