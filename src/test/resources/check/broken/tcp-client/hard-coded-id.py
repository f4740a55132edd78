# fault: tcp-client/sends-id
# It sends a hard-coded ID instead of the one typed on its standard input.
import socket
import sys

HOST = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 65432

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.connect((HOST, PORT))
    input(s.recv(1000).decode('utf-8'))
    s.send(b"b08902001")
