"""gRPC's interop TestService on C-core (Debian's python3-grpcio), for the channel's interop tests.

No generated code: the messages come from the FileDescriptorSet that the Java test writes (the
descriptors of grpc-java's interop protos), and the service is a generic handler. Usage:

    /usr/bin/python3 ccore_interop_server.py DESCRIPTOR_SET_FILE

It binds 127.0.0.1 on a free port, prints "PORT <n>" on a line of its own, and serves until its
standard input closes (so it never outlives the test JVM that started it).
"""

import sys
import threading
import time
from concurrent import futures

import grpc
from google.protobuf import descriptor_pb2, message_factory

SERVICE = "grpc.testing.TestService"
ECHO_INITIAL = "x-grpc-test-echo-initial"
ECHO_TRAILING = "x-grpc-test-echo-trailing-bin"
MAX_MESSAGE = 64 * 1024 * 1024


def load_messages(path):
    with open(path, "rb") as f:
        files = descriptor_pb2.FileDescriptorSet.FromString(f.read()).file
    return message_factory.GetMessages(files)


def status_code(value):
    for code in grpc.StatusCode:
        if code.value[0] == value:
            return code
    return grpc.StatusCode.UNKNOWN


class TestService:
    def __init__(self, messages):
        self.m = messages

    def message(self, name, **fields):
        return self.m["grpc.testing." + name](**fields)

    def payload(self, size):
        return self.message("Payload", body=bytes(size))

    def echo_metadata(self, context):
        metadata = dict(context.invocation_metadata())
        if ECHO_INITIAL in metadata:
            context.send_initial_metadata(((ECHO_INITIAL, metadata[ECHO_INITIAL]),))
        if ECHO_TRAILING in metadata:
            context.set_trailing_metadata(((ECHO_TRAILING, metadata[ECHO_TRAILING]),))

    def abort_if_asked(self, request, context):
        if request.HasField("response_status") and request.response_status.code != 0:
            context.abort(status_code(request.response_status.code), request.response_status.message)

    def empty_call(self, request, context):
        return self.message("Empty")

    def unary_call(self, request, context):
        self.echo_metadata(context)
        self.abort_if_asked(request, context)
        if request.response_compressed.value:
            context.set_compression(grpc.Compression.Gzip)
        response = self.message("SimpleResponse")
        if request.response_size:
            response.payload.CopyFrom(self.payload(request.response_size))
        return response

    def streaming_output_call(self, request, context):
        self.abort_if_asked(request, context)
        yield from self.respond(request, context)

    def respond(self, request, context):
        for parameters in request.response_parameters:
            if parameters.interval_us:
                time.sleep(parameters.interval_us / 1e6)
            if parameters.compressed.value:
                context.set_compression(grpc.Compression.Gzip)
            yield self.message("StreamingOutputCallResponse", payload=self.payload(parameters.size))

    def streaming_input_call(self, requests, context):
        total = sum(len(r.payload.body) for r in requests)
        return self.message("StreamingInputCallResponse", aggregated_payload_size=total)

    def full_duplex_call(self, requests, context):
        self.echo_metadata(context)
        for request in requests:
            self.abort_if_asked(request, context)
            yield from self.respond(request, context)

    def handler(self):
        def parser(name):
            return self.m["grpc.testing." + name].FromString

        def serializer(message):
            return message.SerializeToString()

        def unary(fn, req):
            return grpc.unary_unary_rpc_method_handler(
                fn, request_deserializer=parser(req), response_serializer=serializer)

        return grpc.method_handlers_generic_handler(SERVICE, {
            "EmptyCall": unary(self.empty_call, "Empty"),
            "UnaryCall": unary(self.unary_call, "SimpleRequest"),
            "StreamingOutputCall": grpc.unary_stream_rpc_method_handler(
                self.streaming_output_call, request_deserializer=parser("StreamingOutputCallRequest"),
                response_serializer=serializer),
            "StreamingInputCall": grpc.stream_unary_rpc_method_handler(
                self.streaming_input_call, request_deserializer=parser("StreamingInputCallRequest"),
                response_serializer=serializer),
            "FullDuplexCall": grpc.stream_stream_rpc_method_handler(
                self.full_duplex_call, request_deserializer=parser("StreamingOutputCallRequest"),
                response_serializer=serializer),
        })


def main():
    service = TestService(load_messages(sys.argv[1]))
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=16),
        handlers=[service.handler()],
        options=[("grpc.max_receive_message_length", MAX_MESSAGE),
                 ("grpc.max_send_message_length", MAX_MESSAGE)])
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print("PORT %d" % port, flush=True)
    stop = threading.Event()

    def watch_stdin():
        sys.stdin.read()
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    stop.wait()
    server.stop(grace=1).wait()


if __name__ == "__main__":
    main()
