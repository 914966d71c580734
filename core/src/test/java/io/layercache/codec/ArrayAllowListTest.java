package io.layercache.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercache.codec.testdomain.Address;
import io.layercache.codec.testdomain.Status;
import io.layercache.layer.StoredEntry;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Arrays in the L2 codec are judged by their component type: a {@code Serializable[]} (Hibernate's
 * disassembled entity state) or {@code Comparable[]} is admitted, and each element is still
 * checked against the allow-list on its own, on the way in and on the way out.
 */
class ArrayAllowListTest {

  private static final String DOMAIN = "io.layercache.codec.testdomain.";
  private static final String GADGET = "io.layercache.codec.forbidden.Gadget";
  private static final int WIRE_SERIALIZABLES = 63 + 2;

  private final KryoEntryCodecBadInputTest.RecordingLoader loader =
      new KryoEntryCodecBadInputTest.RecordingLoader(getClass().getClassLoader());
  private final KryoEntryCodec<Object> codec = new KryoEntryCodec<>(
      CodecSettings.defaults().withAllowedClassPrefixes(DOMAIN), loader, Object.class);

  /** Serializable, outside every allowed prefix. */
  static final class Outsider implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void aSerializableArrayOfAllowedElementsRoundTripsUnderItsFixedId() {
    Serializable[] state = {"Ada", 36, LocalDate.of(1815, 12, 10), Status.ACTIVE,
        new Address("a", "b"), UUID.randomUUID(), null, new Serializable[] {7L}};

    byte[] bytes = encode(state);
    Object decoded = decoded(bytes);

    assertThat(decoded).isInstanceOf(Serializable[].class);
    assertThat((Object[]) decoded).containsExactly(state[0], state[1], state[2], state[3],
        state[4], state[5], null, new Serializable[] {7L});
    assertThat(bytes[Payloads.payloadOffset()]).isEqualTo((byte) WIRE_SERIALIZABLES);
  }

  @Test
  void arraysOfOtherJdkSupertypesRoundTripByName() {
    Comparable<?>[] keys = {"a", 1, LocalDate.of(2024, 1, 1)};
    Number[][] grid = {{1, 2L}, {3.5}};

    assertThat((Object[]) decoded(encode(keys))).isInstanceOf(Comparable[].class).containsExactly(keys);
    assertThat(decoded(encode(grid))).isInstanceOf(Number[][].class).isEqualTo(grid);
  }

  @Test
  void anElementOutsideTheAllowListIsRefusedOnEncode() {
    Serializable[] state = {"ok", new Outsider()};

    assertThatThrownBy(() -> encode(state))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Outsider.class.getName());
  }

  @Test
  void anElementOutsideTheAllowListIsRefusedOnDecodeWithoutLoadingIt() {
    byte[] payload = Payloads.kryo(out -> {
      out.writeVarInt(WIRE_SERIALIZABLES, true);
      out.writeVarInt(2 + 1, true);
      out.writeVarInt(Payloads.WIRE_STRING, true);
      out.writeString("ok");
      out.writeVarInt(Payloads.WIRE_NAME, true);
      out.writeVarInt(0, true);
      out.writeString(GADGET);
    });

    assertRejectedAsNotAllowed(payload);
    assertThat(loader.requested).doesNotContain(GADGET);
    assertThat(GadgetProbe.INITIALIZED).isFalse();
  }

  @Test
  void arraysOfOtherComponentTypesStayRefusedByName() {
    for (String array : List.of("[L" + GADGET + ";", "[Ljava.lang.Runtime;",
        "[[Ljava.lang.ProcessBuilder;", "[Ljava.util.PriorityQueue;")) {
      byte[] payload = Payloads.kryo(out -> {
        out.writeVarInt(Payloads.WIRE_NAME, true);
        out.writeVarInt(0, true);
        out.writeString(array);
        out.writeVarInt(0 + 1, true);
      });
      assertRejectedAsNotAllowed(payload);
    }
    assertThat(loader.requested).doesNotContain(GADGET, "java.lang.Runtime", "java.lang.ProcessBuilder");
  }

  @Test
  void theAllowListJudgesArraysByComponentTypeOnly() {
    ClassAllowList allowList = new ClassAllowList(List.of(DOMAIN), DefaultRegistrations.names());

    assertThat(allowList.allowsType(Serializable[].class)).isTrue();
    assertThat(allowList.allowsType(Object[][].class)).isTrue();
    assertThat(allowList.allowsType(Address[].class)).isTrue();
    assertThat(allowList.allowsType(int[][].class)).isTrue();
    assertThat(allowList.allowsType(Serializable.class)).isFalse();
    assertThat(allowList.allowsType(Object.class)).isFalse();
    assertThat(allowList.allowsType(Outsider[].class)).isFalse();
    assertThat(allowList.allowsName("[Ljava.lang.Thread;")).isFalse();
  }

  @Test
  void everyArraySupertypeIsAbstractOrObject() throws ClassNotFoundException {
    for (String name : ClassAllowList.ARRAY_SUPERTYPES) {
      Class<?> type = Class.forName(name);
      assertThat(type == Object.class || type.isInterface()
          || java.lang.reflect.Modifier.isAbstract(type.getModifiers())).as(name).isTrue();
    }
  }

  private byte[] encode(Object value) {
    return codec.encode(Payloads.DIGEST, StoredEntry.of(value, 5_000L, 6_000L, Set.of()));
  }

  private Object decoded(byte[] bytes) {
    DecodeResult<Object> result = codec.decode(bytes, Payloads.DIGEST);
    assertThat(result).as("%s", result).isInstanceOf(DecodeResult.Decoded.class);
    return ((DecodeResult.Decoded<Object>) result).entry().value();
  }

  private void assertRejectedAsNotAllowed(byte[] payload) {
    DecodeResult<Object> result = codec.decode(Payloads.envelope(payload), Payloads.DIGEST);
    assertThat(result).isInstanceOf(DecodeResult.Rejected.class);
    assertThat(((DecodeResult.Rejected<Object>) result).reason()).as("%s", result)
        .isEqualTo(RejectReason.CLASS_NOT_ALLOWED);
  }
}
