"""The shop's Inventory service: Python and grpcio, no Mesh package, no generated code.

It serves mesh.shop.v1.Inventory/GetStock (examples/Shop/Protos/shop.proto) with grpc's generic handlers and encodes
its two tiny messages by hand, so nothing has to be generated at build time. It listens on 127.0.0.1 only: the Mesh
sidecar next to it registers it and is the only way in.

Usage: inventory.py [port]   (default $INVENTORY_PORT, else 0 = a free port). Prints "listening <port>" once ready.
Stops on SIGTERM or SIGINT, letting calls in flight finish.
"""
import os
import signal
import socket
import sys
import threading
from concurrent import futures

import grpc

STOCK = {"apple": 12, "pear": 3, "plum": 0}
INSTANCE = f"python {socket.gethostname()} pid {os.getpid()}"


def read_varint(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def write_varint(value):
    out = bytearray()
    value &= (1 << 64) - 1  # negative int32s are ten bytes, as protobuf writes them
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def decode_stock_request(data):
    """StockRequest { string product_id = 1; } -> product_id; unknown fields are skipped."""
    pos, product_id = 0, ""
    while pos < len(data):
        key, pos = read_varint(data, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            _, pos = read_varint(data, pos)
        elif wire == 2:
            length, pos = read_varint(data, pos)
            if field == 1:
                product_id = data[pos:pos + length].decode("utf-8")
            pos += length
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
    return product_id


def encode_stock_reply(quantity, instance):
    """StockReply { int32 quantity = 1; string instance = 2; }"""
    text = instance.encode("utf-8")
    return b"\x08" + write_varint(quantity) + b"\x12" + write_varint(len(text)) + text


def get_stock(product_id, context):
    if product_id not in STOCK:
        context.abort(grpc.StatusCode.NOT_FOUND, f"no product '{product_id}'")
    return STOCK[product_id]


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("INVENTORY_PORT", "0"))
    handler = grpc.method_handlers_generic_handler("mesh.shop.v1.Inventory", {
        "GetStock": grpc.unary_unary_rpc_method_handler(
            get_stock,
            request_deserializer=decode_stock_request,
            response_serializer=lambda quantity: encode_stock_reply(quantity, INSTANCE)),
    })
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    server.add_generic_rpc_handlers((handler,))
    bound = server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    print(f"listening {bound}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.stop(grace=5).wait()


if __name__ == "__main__":
    main()
