# fault: tcp-client/prompt
# It never reads the server's prompt at all: it asks for the ID with a prompt of its own.
import socket
import sys

HOST = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 65432

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.connect((HOST, PORT))
    response = input("ID: ").encode('utf-8')
    s.send(response)
