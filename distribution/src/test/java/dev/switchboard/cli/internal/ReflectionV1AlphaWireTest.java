package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.switchboard.cli.internal.reflection.v1.ServerReflectionProto;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI speaks {@code grpc.reflection.v1alpha} with the messages generated from the v1 file: this
 * holds because the two files declare the same messages, field for field. Checked against
 * grpc-java's own generated v1alpha classes (io.grpc:grpc-services).
 */
class ReflectionV1AlphaWireTest {

  @Test
  @SuppressWarnings("deprecation") // the v1alpha file is deprecated upstream, on purpose here
  void v1AndV1AlphaDeclareTheSameMessagesFieldForField() {
    FileDescriptor v1 = ServerReflectionProto.getDescriptor();
    FileDescriptor v1alpha = io.grpc.reflection.v1alpha.ServerReflectionProto.getDescriptor();
    assertThat(v1.getPackage()).isEqualTo("grpc.reflection.v1");
    assertThat(v1alpha.getPackage()).isEqualTo("grpc.reflection.v1alpha");
    assertThat(shape(v1.getMessageTypes())).isEqualTo(shape(v1alpha.getMessageTypes()))
        .hasSizeGreaterThan(20);
  }

  /** Every field of every message: message, name, number, type, label, oneof, type name. */
  private static List<String> shape(List<Descriptor> messages) {
    List<String> lines = new ArrayList<>();
    for (Descriptor m : messages) {
      for (FieldDescriptor f : m.getFields()) {
        lines.add(m.getName() + "." + f.getName() + "=" + f.getNumber() + " " + f.getType()
            + (f.isRepeated() ? " repeated" : "")
            + (f.getRealContainingOneof() != null ? " oneof " + f.getRealContainingOneof().getName() : "")
            + (f.getType() == FieldDescriptor.Type.MESSAGE ? " " + f.getMessageType().getName() : ""));
      }
    }
    return lines;
  }
}
