package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.EOFException;
import java.io.IOException;
import java.io.Reader;
import java.util.Optional;

/**
 * The requests of a JSON call, read one JSON object at a time from {@code --data}, a file or stdin:
 * one object per line as a stream of them is usually written, or any whitespace between objects
 * (a pretty-printed object spans lines), as grpcurl reads them. Each object is read only when the
 * call wants the next request, so a streaming call sends a line of stdin as soon as it is typed.
 *
 * <p>Gson splits the input into objects (a reader that accepts several top-level values), and
 * protobuf's {@link JsonFormat} turns each into the request type, so that the mapping is
 * protobuf's own (field names in lowerCamelCase or as declared, enums by name or number, 64-bit
 * integers as strings, well-known types in their JSON form).
 *
 * <p>Not thread-safe: one call reads them from one thread.
 */
final class JsonRequests {
  private final String source;
  private final JsonReader reader;
  private final JsonFormat.Parser parser;
  private int count;

  /**
   * @param source names the input in errors ({@code --data}, {@code stdin}, …)
   * @param parser turns each object into a request (with the type registry for {@code Any})
   */
  JsonRequests(String source, Reader in, JsonFormat.Parser parser) {
    this.source = requireNonNull(source, "source");
    this.reader = new JsonReader(requireNonNull(in, "in"));
    this.reader.setStrictness(Strictness.LENIENT);
    this.parser = requireNonNull(parser, "parser");
  }

  /** Returns how many requests were read. */
  int count() {
    return count;
  }

  /**
   * Returns the next request as a {@code type}, or empty at the end of the input.
   *
   * @throws CliException (usage) naming the request by its number if it is not JSON or does not
   *     fit {@code type}
   */
  Optional<DynamicMessage> next(Descriptor type) throws CliException {
    JsonElement json;
    try {
      try {
        if (reader.peek() == JsonToken.END_DOCUMENT) {
          return Optional.empty();
        }
      } catch (EOFException e) {
        // An input of nothing but whitespace: Gson's reader has no END_DOCUMENT before a value.
        return Optional.empty();
      }
      json = JsonParser.parseReader(reader);
    } catch (JsonParseException | IOException | IllegalStateException e) {
      throw CliException.usage(source + ": request #" + (count + 1) + " is not JSON: "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
    }
    count++;
    DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
    try {
      parser.merge(json.toString(), b);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw CliException.usage(source + ": request #" + count + " does not fit "
          + type.getFullName() + ": " + e.getMessage());
    }
    return Optional.of(b.build());
  }
}
