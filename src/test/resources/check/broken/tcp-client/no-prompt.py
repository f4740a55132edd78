# fault: tcp-client/prompt
# It reads the prompt but never shows it: input() is called with no prompt.
import socket
import sys

HOST = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 65432

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.connect((HOST, PORT))
    s.recv(1000)
    response = input().encode('utf-8')
    s.send(response)
