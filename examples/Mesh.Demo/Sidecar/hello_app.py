"""The demo's service that cannot take the Mesh package: Python's http.server and nothing else (no grpcio, no Mesh).

Usage: python3 hello_app.py NAME
Listens on a free 127.0.0.1 port and prints "listening PORT"; answers every GET with one line naming the instance.
Exits when its stdin closes: the demo closes it to stop the app, and the OS closes it if the demo dies, so the app
never outlives the demo.
"""
import http.server
import os
import signal
import sys
import threading

NAME = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    # Keep-alive: the sidecar in front reuses its connections, as it would with any real app.
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = f"hello from {NAME} (python3 http.server, pid {os.getpid()})\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # the demo narrates; a line per request would drown it


def stop_when_stdin_closes(server):
    sys.stdin.read()
    server.shutdown()


# Ctrl+C reaches every process of the terminal: the demo stops this one (by closing stdin), without a traceback.
signal.signal(signal.SIGINT, signal.SIG_IGN)
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"listening {server.server_address[1]}", flush=True)
threading.Thread(target=stop_when_stdin_closes, args=(server,), daemon=True).start()
server.serve_forever()
