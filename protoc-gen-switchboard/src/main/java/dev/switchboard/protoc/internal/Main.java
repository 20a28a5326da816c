package dev.switchboard.protoc.internal;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The plugin process: a {@code CodeGeneratorRequest} in on standard input, a {@code
 * CodeGeneratorResponse} out on standard output. Problems with the {@code .proto} files or the
 * options go into the response's {@code error}, which protoc prints; the exit code is then 0, as
 * protoc's plugin protocol asks. Input that is not a request at all ends the process with 1 and a
 * line on standard error.
 *
 * <p>Not thread-safe: one run per process.
 */
public final class Main {

  private Main() {}

  /** Runs the plugin on standard input and output; takes no arguments. */
  public static void main(String[] args) {
    if (args.length > 0) {
      System.err.println("protoc-gen-switchboard: takes no arguments (protoc runs it: "
          + "protoc --plugin=protoc-gen-switchboard=<this script> --switchboard_out=<dir> …)");
      System.exit(2);
    }
    try {
      run(System.in, System.out);
    } catch (IOException e) {
      System.err.println("protoc-gen-switchboard: cannot read a CodeGeneratorRequest on standard input: "
          + e.getMessage());
      System.exit(1);
    }
  }

  /** Reads one request from {@code in} and writes its response to {@code out}. */
  static void run(InputStream in, OutputStream out) throws IOException {
    CodeGeneratorRequest request = CodeGeneratorRequest.parseFrom(in);
    CodeGeneratorResponse response = SwitchboardGenerator.generate(request);
    response.writeTo(out);
    out.flush();
  }
}
