"""A non-.NET app for the sidecar tests: Python's http.server on 127.0.0.1, HTTP/1.1.

GET  /hello         -> 200 "hello from python"
POST /upload        -> reads the body (Content-Length or chunked) and answers "<bytes> <sha256>"
GET  /download?n=N  -> N bytes of a repeating pattern, chunked, 64 KiB per chunk
GET  /held          -> one chunk "first\n", then waits until /release is called, then "last\n"
GET  /release       -> releases /held
GET|POST /unavailable[?pushback=MS] -> 503, with grpc-retry-pushback-ms: MS when asked
GET  /cut           -> 200 announcing 1000 bytes, sends 10, then closes the connection (a response cut mid-stream)
GET  /hits          -> how many requests (other than /hits) this app served
With the argument "failing", GET /hello answers 503 too (an instance that is up but failing).
Prints "listening <port>" once ready. Stops when stdin closes.
"""
import hashlib
import http.server
import socket
import sys
import threading

released = threading.Event()
failing = "failing" in sys.argv[1:]
hits = 0
hits_lock = threading.Lock()
PATTERN = bytes(range(256)) * 256  # 64 KiB


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, code, body):
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _count(self):
        global hits
        with hits_lock:
            hits += 1

    def _unavailable(self):
        self.send_response(503)
        if "pushback=" in self.path:
            self.send_header("grpc-retry-pushback-ms", self.path.split("pushback=")[1])
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "11")
        self.end_headers()
        self.wfile.write(b"unavailable")

    def do_GET(self):
        if self.path == "/hits":
            self._send(200, b"%d" % hits)
            return
        self._count()
        if self.path == "/hello" and failing:
            self._send(503, b"failing")
        elif self.path.startswith("/unavailable"):
            self._unavailable()
        elif self.path == "/cut":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif self.path == "/hello":
            self._send(200, b"hello from python")
        elif self.path.startswith("/download"):
            n = int(self.path.split("n=")[1])
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            while n > 0:
                part = PATTERN[: min(n, len(PATTERN))]
                self._chunk(part)
                n -= len(part)
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/held":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self._chunk(b"first\n")
            released.wait(30)
            self._chunk(b"last\n")
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/release":
            released.set()
            self._send(200, b"released")
        else:
            self._send(404, b"not found")

    def do_POST(self):
        self._count()
        if self.path.startswith("/unavailable"):
            self._discard_body()
            self._unavailable()
            return
        digest = hashlib.sha256()
        total = 0
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                data = self.rfile.read(size)
                self.rfile.readline()
                digest.update(data)
                total += len(data)
        else:
            remaining = int(self.headers.get("Content-Length", "0"))
            while remaining > 0:
                data = self.rfile.read(min(remaining, 65536))
                digest.update(data)
                total += len(data)
                remaining -= len(data)
        self._send(200, b"%d %s" % (total, digest.hexdigest().encode()))


    def _discard_body(self):
        remaining = int(self.headers.get("Content-Length", "0"))
        if remaining:
            self.rfile.read(remaining)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print("listening %d" % server.server_address[1], flush=True)
sys.stdin.read()
server.shutdown()
